package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;

/** A session on a dumb terminal over a pipe, run by its own thread. */
final class ReplSession implements AutoCloseable {
  final PipedOutputStream keys = new PipedOutputStream();
  final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  final Terminal terminal;
  final Repl repl;
  final Thread thread;

  /** A session with {@code --ephemeral}. */
  ReplSession() throws IOException {
    this("--ephemeral");
  }

  /** A session with the options of {@code cu repl} given. */
  ReplSession(String... args) throws IOException {
    PipedInputStream in = new PipedInputStream(keys, 1 << 16);
    terminal =
        new DumbTerminal(
            "test",
            Terminal.TYPE_DUMB,
            in,
            new PrintStream(outBytes, true),
            StandardCharsets.UTF_8);
    CommonOptions options = new CommonOptions();
    picocli.CommandLine.populateCommand(options, args);
    repl =
        new Repl(options, terminal, new PrintStream(errBytes, true, StandardCharsets.UTF_8), null);
    thread = new Thread(repl::run, "repl");
    thread.start();
  }

  void type(String text) throws IOException {
    keys.write(text.getBytes(StandardCharsets.UTF_8));
    keys.flush();
  }

  void await(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).isLessThan(end);
      Thread.sleep(10);
    }
  }

  /** Ctrl-D: the input ends; waits for the session to end. */
  void end() throws Exception {
    keys.close();
    thread.join(TimeUnit.SECONDS.toMillis(20));
    assertThat(thread.isAlive()).isFalse();
  }

  String out() {
    return outBytes.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws Exception {
    keys.close();
    thread.join(TimeUnit.SECONDS.toMillis(20));
    repl.close();
    terminal.close();
  }
}
