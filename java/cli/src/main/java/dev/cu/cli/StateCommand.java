package dev.cu.cli;

import dev.cu.ComputeUnit;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin StoreOptions store;

  private final Streams streams;

  public StateCommand(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    throw new CliException(ErrorKind.USAGE, "state needs a command: list, save, load, delete, export");
  }

  /** Runs {@code action} on a unit opened on the state folder. */
  private int withUnit(java.util.function.Consumer<ComputeUnit> action) {
    try (ComputeUnit unit = store.apply(ComputeUnit.builder().storage(Path.of(state))).build()) {
      action.accept(unit);
    }
    return ExitCode.OK;
  }

  @Command(name = "list", description = "List the named states.")
  static final class ListCommand implements Callable<Integer> {
    @ParentCommand StateCommand parent;

    @Override
    public Integer call() {
      return parent.withUnit(unit -> unit.listStates().forEach(parent.streams.out()::println));
    }
  }

  @Command(name = "save", description = "Save the current state as NAME.")
  static final class SaveCommand implements Callable<Integer> {
    @ParentCommand StateCommand parent;

    @Parameters(paramLabel = "NAME") String name;

    @Override
    public Integer call() {
      return parent.withUnit(unit -> unit.saveState(name));
    }
  }

  @Command(name = "load", description = "Replace the current state by the named state NAME.")
  static final class LoadCommand implements Callable<Integer> {
    @ParentCommand StateCommand parent;

    @Parameters(paramLabel = "NAME") String name;

    @Override
    public Integer call() {
      return parent.withUnit(unit -> unit.loadState(name));
    }
  }

  @Command(name = "delete", description = "Delete the named state NAME.")
  static final class DeleteCommand implements Callable<Integer> {
    @ParentCommand StateCommand parent;

    @Parameters(paramLabel = "NAME") String name;

    @Override
    public Integer call() {
      return parent.withUnit(unit -> {
        if (!unit.deleteState(name)) {
          throw new CliException(ErrorKind.USAGE, "no state named " + name);
        }
      });
    }
  }

  @Command(name = "export", description = "Print the current _home (functions by description).")
  static final class ExportCommand implements Callable<Integer> {
    @ParentCommand StateCommand parent;

    @Option(names = "--json", description = "One line of JSON (the default prints it indented).")
    boolean json;

    @Override
    public Integer call() {
      return parent.withUnit(unit -> {
        Object home = unit.compute("return _home");
        parent.streams.out().println(json ? JsonFormat.toJson(home) : JsonFormat.toPrettyJson(home));
      });
    }
  }
}
