package dev.cu.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code cu serve}: the HTTP service and its tools. {@code cu serve audit} prints the service's
 * audit log ({@link ServeAuditCommand}).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "The HTTP service's tools: audit prints its audit log.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {ServeAuditCommand.class})
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  final Streams streams;

  public ServeCommand(Streams streams) {
    this.streams = streams;
  }

  /** {@code cu serve} without a command: starts the server. */
  @Override
  public Integer call() {
    return startServer();
  }

  /**
   * Starts the HTTP server and runs until it stops, returning the exit code.
   *
   * <p>The server start goes here: its options (the --state folder, the address to listen on)
   * become options of this command. Until then {@code cu serve} without a command is a usage
   * error.
   */
  private int startServer() {
    throw new ParameterException(spec.commandLine(), "serve needs a command: audit");
  }
}
