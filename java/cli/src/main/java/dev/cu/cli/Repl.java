package dev.cu.cli;

import dev.cu.ComputeResult;
import dev.cu.ComputeUnit;
import dev.cu.LuaSyntaxException;
import dev.cu.LuaTimeoutException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;

/**
 * One interactive session: lines read from a terminal run in one compute unit, so globals
 * persist from line to line. A line is first tried as an expression ({@code return <line>}, as
 * {@code lua} 5.4 does; {@code =expr} is {@code return expr}) and its values print, all of them
 * on one line separated by tabs, tables as JSON ({@link ValueFormat}); else it runs as a
 * statement. A chunk that ends too early (Lua's syntax error ending in {@code <eof>}) continues
 * on the next line after the prompt {@code >>}. Errors print as {@code cu: <kind>: <message>}
 * and the session goes on. Ctrl-C ({@link #interrupt()}) stops the running chunk, or clears
 * the line being typed; end of input (Ctrl-D) ends the session. Lines starting with {@code :}
 * and a letter are the session's own commands ({@link SessionCommands}); Tab completes names
 * ({@link ReplCompleter}).
 */
final class Repl implements AutoCloseable {
  /** The prompt of a chunk's first line. */
  static final String PROMPT = "> ";

  /** The prompt of the lines that continue a chunk. */
  static final String CONTINUATION = ">> ";

  /** The chunk name: errors read {@code repl:1: message}. */
  private static final String CHUNK = "=repl";

  private static final byte[] NIL = {'n', 'i', 'l'};

  private final CommonOptions options;
  private final Terminal terminal;
  private final LineReader reader;
  private final PrintStream out;
  private final PrintStream err;
  private final SessionCommands commands;

  /** The unit of the session; replaced by {@code :reset}. Read by {@link #interrupt()}. */
  private volatile ComputeUnit unit;

  /** Whether a chunk is running (for {@link #interrupt()} and tests). */
  private volatile boolean running;

  /** The {@code --output-limit} budget of the chunk running now; each chunk has a fresh one. */
  private OutputLimit limit;

  /**
   * A session on {@code terminal}: results and print output go to the terminal, errors to
   * {@code err}; lines entered are kept in {@code history} (none when null). Builds the unit.
   *
   * @throws CliException for bad options, as {@code cu eval} reports them
   */
  Repl(CommonOptions options, Terminal terminal, PrintStream err, Path history) {
    this.options = options;
    this.terminal = terminal;
    this.err = err;
    this.out = new PrintStream(terminal.output(), true, StandardCharsets.UTF_8);
    this.limit = options.outputLimit();
    this.reader = reader(terminal, history, new ReplCompleter(this::unit));
    this.commands = new SessionCommands(this, options);
    this.unit = newUnit();
    terminal.handle(Terminal.Signal.INT, signal -> interrupt());
  }

  private static LineReader reader(Terminal terminal, Path history, ReplCompleter completer) {
    DefaultParser parser = new DefaultParser(); // lines reach Lua as typed: no quotes, escapes
    parser.setEofOnUnclosedQuote(false);
    parser.setEofOnEscapedNewLine(false);
    parser.setEscapeChars(new char[0]);
    LineReaderBuilder b =
        LineReaderBuilder.builder()
            .terminal(terminal)
            .appName("cu")
            .parser(parser)
            .completer(completer)
            .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // '!' is Lua text
            .option(LineReader.Option.HISTORY_IGNORE_SPACE, false) // indented lines too
            .option(LineReader.Option.INSERT_TAB, true);
    if (history != null) {
      b.variable(LineReader.HISTORY_FILE, history);
    }
    return b.build();
  }

  /** A unit with the session's options, printing through the current chunk's budget. */
  private ComputeUnit newUnit() {
    ComputeUnit.Builder builder = options.builder();
    if (!options.json()) {
      builder.outputStream(
          new OutputStream() {
            @Override
            public void write(int b) {
              write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
              limit.charge(len);
              out.write(b, off, len);
            }
          });
    }
    Object input = options.input == null ? null : InputJson.read(options.input);
    ComputeUnit u = builder.build();
    if (options.input != null) {
      try {
        u.setInput(input);
      } catch (IllegalArgumentException e) {
        u.close();
        throw new CliException(ErrorKind.USAGE, "--input " + e.getMessage(), e);
      }
    }
    return u;
  }

  /** Reads and runs chunks until the input ends; returns the exit code, 0. */
  int run() {
    out.println(new Main.Version().getVersion()[0] + ": Lua code, or :help");
    while (true) {
      String line;
      try {
        line = reader.readLine(PROMPT);
      } catch (UserInterruptException e) {
        continue; // Ctrl-C at the prompt: the line is dropped
      } catch (EndOfFileException e) {
        endOfInput();
        return ExitCode.OK;
      }
      boolean more = SessionCommands.isCommand(line) ? commands.run(line.strip()) : chunk(line);
      if (!more) {
        return ExitCode.OK;
      }
    }
  }

  /**
   * Runs the chunk that starts with {@code first}, reading the lines that complete it. Returns
   * false when the input ended before the chunk did.
   */
  private boolean chunk(String first) {
    String code;
    LuaSyntaxException error;
    if (first.startsWith("=")) {
      code = "return " + first.substring(1);
      error = attempt(code);
    } else {
      LuaSyntaxException asExpression = attempt("return " + first);
      if (asExpression == null) {
        return true;
      }
      code = first;
      error = attempt(code);
      if (error != null && asExpression.isIncomplete() && !error.isIncomplete()) {
        code = "return " + first; // an expression that goes on, such as "{1," or "1 +"
        error = asExpression;
      }
    }
    while (error != null && error.isIncomplete()) {
      String line;
      try {
        line = reader.readLine(CONTINUATION);
      } catch (UserInterruptException e) {
        return true; // Ctrl-C drops the whole chunk
      } catch (EndOfFileException e) {
        endOfInput();
        report(error);
        return false;
      }
      code = code + "\n" + line;
      error = attempt(code);
    }
    if (error != null) {
      report(error);
    }
    return true;
  }

  /** Ends the last prompt's line, as a terminal does on Ctrl-D (a dumb one does not). */
  private void endOfInput() {
    if (Terminal.TYPE_DUMB.equals(terminal.getType())) {
      out.println();
    }
  }

  /**
   * Runs {@code code} and prints its values or its error; a syntax error is returned instead,
   * unreported (nothing ran). Returns null when the code compiled.
   */
  private LuaSyntaxException attempt(String code) {
    try {
      if (unit == null) {
        throw new CliException(ErrorKind.RUNTIME, "no unit: :reset failed; try :reset again");
      }
      execute(code);
    } catch (LuaSyntaxException e) {
      return e;
    } catch (RuntimeException | LinkageError e) {
      report(e);
    }
    return null;
  }

  private void execute(String code) {
    limit = options.outputLimit();
    running = true;
    try {
      ComputeResult result = unit.execute(CHUNK, code.getBytes(StandardCharsets.UTF_8));
      limit.check();
      show(result);
    } finally {
      running = false;
      out.flush();
    }
  }

  /** Prints a chunk's values: all of them, a lone nil as {@code nil}, none as nothing. */
  private void show(ComputeResult result) {
    if (options.json()) {
      limit.println(out, JsonFormat.result(result, unit.getOutput(), limit));
      return;
    }
    List<Object> values = result.values();
    if (values.size() == 1 && values.get(0) == null) {
      limit.charge(NIL.length);
      limit.println(out, NIL);
    } else {
      ValueFormat.printAll(out, values, limit);
    }
  }

  /** Prints {@code e} as {@code cu: <kind>: <message>} after what was printed before it. */
  void report(Throwable e) {
    out.flush();
    if (e instanceof LuaTimeoutException t
        && t.reason() == LuaTimeoutException.Reason.INTERRUPTED
        && !Terminal.TYPE_DUMB.equals(terminal.getType())) {
      err.println(); // after the ^C the terminal echoed
    }
    err.println(ErrorKind.describe(e));
    err.flush();
  }

  /** Prints a line of the session's own output (command results). */
  void println(String line) {
    out.println(line);
  }

  /**
   * Ctrl-C: stops the chunk running now with an {@code interrupted} error; the session goes
   * on. Callable from any thread; does nothing between chunks (at the prompt, the line reader
   * handles Ctrl-C itself).
   */
  void interrupt() {
    ComputeUnit u = unit;
    if (u != null && running) {
      u.interrupt();
    }
  }

  /** Whether a chunk is running now. */
  boolean running() {
    return running;
  }

  /** The unit of the session. */
  ComputeUnit unit() {
    return unit;
  }

  /**
   * Replaces the unit by a fresh one with the same options: globals are gone, {@code _home}
   * is what the state folder holds (empty with {@code --ephemeral}). When building fails the
   * session has no unit until a later reset succeeds.
   */
  void reset() {
    ComputeUnit old = unit;
    unit = null;
    if (old != null) { // null after a reset that failed
      old.close(); // releases the state folder's lock before the new unit takes it
    }
    unit = newUnit();
  }

  /** Closes the unit and writes the history. */
  @Override
  public void close() {
    ComputeUnit u = unit;
    unit = null;
    try {
      reader.getHistory().save();
    } catch (IOException e) {
      err.println("cu: warning: cannot save the history: " + e.getMessage());
    } finally {
      if (u != null) {
        u.close();
      }
      out.flush();
    }
  }
}
