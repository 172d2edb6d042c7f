package dev.cu.cli;

import java.io.Console;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cu repl [options]}: an interactive session of one unit ({@link Repl}); also what
 * {@code cu} without arguments starts when standard input and output are a terminal.
 */
@Command(
    name = "repl",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    footer = {
      "%nIn the session:%n",
      "  An expression prints its values, all of them separated by tabs, tables as",
      "  JSON; =EXPR does too. A chunk that is not finished (a function without its",
      "  end, an open { or long string) continues on the next line after >>. Errors",
      "  print as cu: <kind>: <message> and the session goes on. With a state folder,",
      "  every chunk that succeeds commits _home, as cu run does; while the session",
      "  lasts, other cu processes wait for the folder (the state of its --key).",
      "  Commands: :help, :state, :save NAME, :load NAME, :reset. Ctrl-C stops a",
      "  running chunk or clears the line; Ctrl-D (end of input) leaves.%n"
    },
    description = {
      "Read, run and print Lua chunks interactively, in one unit: globals stay from",
      "line to line. Lines are edited with the usual keys (Tab completes names) and kept",
      "in a history file."
    })
public final class ReplCommand implements Callable<Integer> {
  @Mixin CommonOptions options;

  @Option(
      names = "--history",
      paramLabel = "FILE",
      description =
          "Keep the lines entered in FILE, to recall them with the arrow keys in later"
              + " sessions; an empty FILE keeps none. Default: .cu_history in the home folder.")
  String history;

  private final Streams streams;

  public ReplCommand(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    try (Terminal terminal = terminal(streams);
        Repl repl = new Repl(options, terminal, streams.err(), historyFile())) {
      return repl.run();
    } catch (IOException e) {
      throw new CliException(ErrorKind.USAGE, "cannot use the terminal: " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new CliException(ErrorKind.USAGE, "cannot use the terminal: " + e.getMessage(), e);
    } catch (LinkageError e) {
      // no libcu for this platform: picocli reports only Exceptions, so convert it
      throw new CliException(ErrorKind.RUNTIME, e.getMessage(), e);
    }
  }

  /** The history file: {@code --history}, else {@code ~/.cu_history}; null for none. */
  private Path historyFile() {
    if (history == null) {
      return Path.of(System.getProperty("user.home"), ".cu_history");
    }
    return history.isEmpty() ? null : Path.of(history);
  }

  /**
   * The terminal of the session: the process's own when {@code streams} read the process's
   * standard input and it is a terminal ({@link #interactive(Streams)}); else a dumb terminal
   * over the streams (input piped in, or a test's), which reads lines without editing them.
   */
  static Terminal terminal(Streams streams) throws IOException {
    if (interactive(streams)) {
      return TerminalBuilder.builder().name("cu").system(true).dumb(true).build();
    }
    return new DumbTerminal(
        "cu", Terminal.TYPE_DUMB, streams.in(), streams.out(), StandardCharsets.UTF_8);
  }

  /**
   * Whether {@code streams} read the process's standard input and both it and standard output
   * are a terminal: then {@code cu} without arguments starts a session.
   */
  static boolean interactive(Streams streams) {
    if (streams.in() != System.in) {
      return false;
    }
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try { // Java 22 and later have a console even when the streams are redirected
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException e) {
      return true; // before Java 22, a console means a terminal
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
