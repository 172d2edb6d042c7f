package dev.cu.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code cu} command: {@code cu eval CODE} and {@code cu run FILE|-} run sandboxed Lua 5.4
 * and print what it produced; {@code cu repl} (also {@code cu} alone on a terminal) reads and
 * runs chunks interactively; {@code cu state} manages a state folder, {@code cu vault} a
 * service's secrets and {@code cu serve audit} prints a service's audit log. Errors go to stderr
 * as {@code cu: <kind>: <message>}, with the exit codes of {@link ExitCode}.
 */
@Command(
    name = "cu",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Run sandboxed Lua 5.4 compute units from the command line.",
    synopsisSubcommandLabel = "COMMAND",
    footerHeading = "%nExamples:%n",
    footer = {
      "  cu eval 'return 2+2'",
      "  cu eval --json --time-limit 2s 'print(\"hi\") return {1, 2, x = 3}'",
      "  cu run --memory-limit 64m examples/hello.lua",
      "  echo 'return _VERSION' | cu run -",
      "  cu repl --ephemeral   (or cu alone on a terminal: an interactive session)",
      "  cu run examples/counter.lua   (state in ./.cu: prints 1, then 2, ...)",
      "  cu --state st --key alice@example.com eval '_home.n = (_home.n or 0) + 1'",
      "  cu state save before && cu state list",
      "  cu vault --key-file ~/vault.key put db-password < password.txt",
      "  cu serve audit --state st --outcome ok --limit 20",
      "",
      "Errors go to stderr as: cu: <kind>: <message>, kind being syntax, runtime, memory,"
          + " timeout, output, usage or storage.%n"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:Lua error (syntax, runtime)",
      "2:usage error (bad option or --input, missing or unreadable file, unknown or bad"
          + " state or secret name, no vault key)",
      "3:resource limit (memory, timeout, --output-limit)",
      "4:storage error (the --state store or vault cannot be read or written, a wrong vault"
          + " key, an altered vault)"
    })
public final class Main implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Runs the command with the process's streams and exits with its exit code. */
  public static void main(String[] args) {
    PrintStream out =
        new PrintStream(
            new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
            true,
            StandardCharsets.UTF_8);
    PrintStream err =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    System.exit(run(new Streams(out, err, System.in, RawArgs.of(args)), args));
  }

  /** Runs the command on the given streams and returns its exit code; never exits. */
  public static int run(PrintStream out, PrintStream err, InputStream in, String... args) {
    return run(new Streams(out, err, in), args);
  }

  /**
   * Runs the command on {@code streams}, whose {@code rawArgs} are the bytes of {@code args}
   * (or empty), and returns its exit code; never exits. Without arguments, on the process's
   * standard input when it and standard output are a terminal, runs {@code cu repl}.
   */
  public static int run(Streams streams, String... args) {
    if (args.length == 0 && ReplCommand.interactive(streams)) {
      args = new String[] {"repl"}; // cu alone on a terminal: a session
    }
    PrintStream out = streams.out();
    PrintStream err = streams.err();
    CommandLine cli = commandLine(streams);
    int[] order = CommandFirst.order(cli, args);
    if (order != null) { // options before the command name: parsed as if written after it
      List<byte[]> raw = streams.rawArgs();
      if (raw.size() == args.length) {
        raw = CommandFirst.reorder(raw, order);
      }
      streams = new Streams(out, err, streams.in(), raw, streams.env());
      args = CommandFirst.reorder(List.of(args), order).toArray(String[]::new);
      cli = commandLine(streams);
    }
    try {
      return cli.execute(args);
    } finally {
      cli.getOut().flush();
      cli.getErr().flush();
      out.flush();
      err.flush();
    }
  }

  /** The picocli command tree, wired to {@code streams}. */
  static CommandLine commandLine(Streams streams) {
    CommandLine cli =
        new CommandLine(new Main())
            .addSubcommand(new EvalCommand(streams))
            .addSubcommand(new RunCommand(streams))
            .addSubcommand(new ReplCommand(streams))
            .addSubcommand(new StateCommand(streams))
            .addSubcommand(new VaultCommand(streams))
            .addSubcommand(new ServeCommand(streams))
            .addSubcommand("help", new HelpCommand());
    cli.setExpandAtFiles(false); // "@file" is --input's syntax, not an argument file
    cli.setOut(writer(streams.out()));
    cli.setErr(writer(streams.err()));
    cli.setParameterExceptionHandler(Main::usageError);
    cli.setExecutionExceptionHandler(Main::failure);
    return cli;
  }

  /** {@code cu} without a command is a usage error (unless on a terminal: see {@link #run}). */
  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(), "missing command (eval, run, repl, state, vault, serve or help)");
  }

  private static PrintWriter writer(PrintStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("cu: usage: " + e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return ExitCode.USAGE;
  }

  private static int failure(Exception e, CommandLine cmd, ParseResult parsed) {
    cmd.getOut().flush();
    cmd.getErr().println(ErrorKind.describe(e));
    cmd.getErr().flush();
    return ErrorKind.of(e).exitCode();
  }

  /** {@code cu --version}: the version of this build and of Lua. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      Properties p = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (IOException e) {
        // fall through to "unknown"
      }
      return new String[] {"cu " + p.getProperty("version", "unknown") + " (Lua 5.4.7)"};
    }
  }
}
