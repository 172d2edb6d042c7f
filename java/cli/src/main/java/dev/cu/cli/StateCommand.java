package dev.cu.cli;

import dev.cu.ComputeUnit;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cu state list|save NAME|load NAME|delete NAME|export [--json]}: the named states of a
 * {@code --state} folder, and the current {@code _home} as JSON.
 */
@Command(
    name = "state",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Manage the saved state of a --state folder (default .cu).",
    subcommands = {
      StateCommand.ListCommand.class,
      StateCommand.SaveCommand.class,
      StateCommand.LoadCommand.class,
      StateCommand.DeleteCommand.class,
      StateCommand.ExportCommand.class
    })
public final class StateCommand implements Callable<Integer> {
  @Option(names = "--state", paramLabel = "DIR", defaultValue = ".cu",
      description = "The state folder. Default: ${DEFAULT-VALUE}.")
  String state;

  private final Streams streams;

  public StateCommand(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    throw new CliException(ErrorKind.USAGE, "state needs a command: list, save, load, delete, export");
  }

  private ComputeUnit open() {
    return ComputeUnit.builder().storage(Path.of(state)).autoCommit(true).build();
  }

  @Command(name = "list", description = "List the named states.")
  static final class ListCommand implements Callable<Integer> {
    @ParentCommand StateCommand parent;

    @Override
    public Integer call() {
      try (ComputeUnit unit = parent.open()) {
        unit.listStates().forEach(parent.streams.out()::println);
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "save", description = "Save the current state as NAME.")
  static final class SaveCommand implements Callable<Integer> {
    @ParentCommand StateCommand parent;

    @Parameters(paramLabel = "NAME") String name;

    @Override
    public Integer call() {
      try (ComputeUnit unit = parent.open()) {
        unit.saveState(name);
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "load", description = "Replace the current state by the named state NAME.")
  static final class LoadCommand implements Callable<Integer> {
    @ParentCommand StateCommand parent;

    @Parameters(paramLabel = "NAME") String name;

    @Override
    public Integer call() {
      try (ComputeUnit unit = parent.open()) {
        unit.loadState(name);
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "delete", description = "Delete the named state NAME.")
  static final class DeleteCommand implements Callable<Integer> {
    @ParentCommand StateCommand parent;

    @Parameters(paramLabel = "NAME") String name;

    @Override
    public Integer call() {
      try (ComputeUnit unit = parent.open()) {
        if (!unit.deleteState(name)) {
          throw new CliException(ErrorKind.USAGE, "no state named " + name);
        }
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "export", description = "Print the current _home (functions by description).")
  static final class ExportCommand implements Callable<Integer> {
    @ParentCommand StateCommand parent;

    @Option(names = "--json", description = "One line of JSON (the default prints it indented).")
    boolean json;

    @Override
    public Integer call() {
      try (ComputeUnit unit = parent.open()) {
        Object home = unit.compute("return _home");
        parent.streams.out().println(json ? JsonFormat.toJson(home) : JsonFormat.toPrettyJson(home));
      }
      return ExitCode.OK;
    }
  }
}
