package dev.cu.cli;

import dev.cu.ComputeUnit;
import dev.cu.store.LmdbOptions;
import dev.cu.store.StoreVerifier;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cu state list|save NAME|load NAME|delete NAME|export [--json]|import [--merge] FILE|
 * verify [--json]|keys|delete-key KEY}: the named states of a {@code --state} folder (of a {@code
 * --key}'s state with that option), the current {@code _home} as JSON and back ({@link
 * ImportCommand}), a check of the whole store, and the keys that have state ({@link
 * KeyCommands}). The commands that read need a store in the folder and create none ({@link
 * StateFolder#requireStore}).
 */
@Command(
    name = "state",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Manage the saved state of a --state folder (default .cu). The commands that read",
      "(list, load, delete, export, verify) need a store there and create none."
    },
    subcommands = {
      StateCommand.ListCommand.class,
      StateCommand.SaveCommand.class,
      StateCommand.LoadCommand.class,
      StateCommand.DeleteCommand.class,
      StateCommand.ExportCommand.class,
      ImportCommand.class,
      StateCommand.VerifyCommand.class,
      KeyCommands.KeysCommand.class,
      KeyCommands.DeleteKeyCommand.class
    })
public final class StateCommand implements Callable<Integer> {
  @Option(
      names = "--state",
      paramLabel = "DIR",
      defaultValue = ".cu",
      description = "The state folder. Default: ${DEFAULT-VALUE}.")
  String state;

  @Mixin StoreOptions store;

  final Streams streams;

  public StateCommand(Streams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    throw new CliException(
        ErrorKind.USAGE,
        "state needs a command: list, save, load, delete, export, import, verify, keys,"
            + " delete-key");
  }

  /** Names of named states: what the store accepts, checked before the store is opened. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** Runs {@code action} on a unit opened on the state folder. */
  private int withUnit(java.util.function.Consumer<ComputeUnit> action) {
    try (ComputeUnit unit = store.apply(ComputeUnit.builder(), Path.of(state)).build()) {
      action.accept(unit);
    }
    return ExitCode.OK;
  }

  /**
   * Runs {@code action} on a unit opened on the state folder, which must hold a store: a command
   * that only reads creates none ({@link StateFolder#requireStore}).
   */
  private int withStore(java.util.function.Consumer<ComputeUnit> action) {
    StateFolder.requireStore(state);
    return withUnit(action);
  }

  /**
   * {@code name} if it can name a state.
   *
   * @throws CliException (usage) naming what is wrong with it
   */
  static String checkName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new CliException(
          ErrorKind.USAGE,
          "bad state name '"
              + name
              + "': a name is 1 to 64"
              + " characters, each a letter, a digit, '.', '_' or '-'");
    }
    return name;
  }

  /** The usage error of a name with no state. */
  private static CliException missing(String name) {
    return new CliException(
        ErrorKind.USAGE, "no state named " + name + " (cu state list shows the names)");
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = "List the named states.")
  static final class ListCommand implements Callable<Integer> {
    @ParentCommand StateCommand parent;

    @Override
    public Integer call() {
      return parent.withStore(unit -> unit.listStates().forEach(parent.streams.out()::println));
    }
  }

  @Command(
      name = "save",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = "Save the current state as NAME.")
  static final class SaveCommand implements Callable<Integer> {
    @ParentCommand StateCommand parent;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      checkName(name);
      return parent.withUnit(unit -> unit.saveState(name));
    }
  }

  @Command(
      name = "load",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = "Replace the current state by the named state NAME.")
  static final class LoadCommand implements Callable<Integer> {
    @ParentCommand StateCommand parent;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      checkName(name);
      return parent.withStore(
          unit -> {
            if (!unit.listStates().contains(name)) {
              throw missing(name);
            }
            unit.loadState(name);
          });
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = "Delete the named state NAME.")
  static final class DeleteCommand implements Callable<Integer> {
    @ParentCommand StateCommand parent;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      checkName(name);
      return parent.withStore(
          unit -> {
            if (!unit.deleteState(name)) {
              throw missing(name);
            }
          });
    }
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = {
        "Print the current _home as JSON (functions by description). A table met more than",
        "once, shared or containing itself, is written once with an id ({\"$id\": 1, ...})",
        "and referred to after that as {\"$ref\": 1}; see cu eval --help. Members are in",
        "one stable order (numbers by value, booleans, strings), so a state always exports",
        "the same bytes; cu state import reads the JSON back. A --state folder that does",
        "not exist is an error (exit 2), one without a store too (exit 4): export creates",
        "nothing, nor do list, load, delete and verify."
      })
  static final class ExportCommand implements Callable<Integer> {
    @ParentCommand StateCommand parent;

    @Option(names = "--json", description = "One line of JSON (the default prints it indented).")
    boolean json;

    @Option(
        names = "--output-limit",
        paramLabel = "SIZE",
        converter = SizeParser.class,
        defaultValue = "256m",
        description =
            "Most bytes to write; past it nothing is written and the command fails"
                + " with exit 3. 0 = none. Default: ${DEFAULT-VALUE}.")
    long outputLimit;

    @Override
    public Integer call() {
      OutputLimit limit = new OutputLimit(outputLimit);
      byte[][] encoded = new byte[1][];
      // written once the state is released: a reader of the pipe may be waiting for the state
      // (cu state export | sed ... | cu state import -), and the pipe holds little
      parent.withStore(
          unit -> {
            Object home;
            try (Progress p =
                Progress.on(parent.streams.err(), "export", "tables", Progress.MIN_TABLES)) {
              home = HomeExport.read(unit, p);
            }
            encoded[0] = JsonFormat.encode(home, !json, limit);
          });
      PrintStream out = parent.streams.out();
      limit.println(out, encoded[0]);
      if (out.checkError()) { // a PrintStream keeps a write's failure to itself
        throw new CliException(
            ErrorKind.RUNTIME, "cannot write the export to standard output; it is incomplete");
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "verify",
      description =
          "Check the whole store; list what is damaged. " + "Exit 0 when sound, 4 when damaged.")
  static final class VerifyCommand implements Callable<Integer> {
    @ParentCommand StateCommand parent;

    @Option(names = "--json", description = "One line of JSON: ok, counts and the damage.")
    boolean json;

    @Override
    public Integer call() {
      StateFolder.requireStore(parent.state);
      StoreVerifier.Report r;
      try (Progress p = Progress.on(parent.streams.err(), "verify", "rows", Progress.MIN_ROWS)) {
        r = StoreVerifier.verify(Path.of(parent.state), LmdbOptions.defaults(), p::to);
      }
      if (json) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", r.ok());
        out.put("namespaces", (long) r.namespaces());
        out.put("tables", r.tables());
        out.put("rows", r.rows());
        out.put("pages", r.pages());
        List<Object> damage = new ArrayList<>();
        for (StoreVerifier.Finding f : r.findings()) {
          Map<String, Object> d = new LinkedHashMap<>();
          d.put("namespace", f.namespace());
          d.put("table", f.table() < 0 ? null : f.table());
          d.put("key", f.key());
          d.put("message", f.message());
          damage.add(d);
        }
        out.put("damage", damage);
        parent.streams.out().println(JsonFormat.toJson(out));
      } else if (r.ok()) {
        parent
            .streams
            .out()
            .println(
                "ok: "
                    + r.namespaces()
                    + " namespaces, "
                    + r.tables()
                    + " tables, "
                    + r.rows()
                    + " rows, "
                    + r.pages()
                    + " pages checked");
      } else {
        r.findings().forEach(f -> parent.streams.out().println("damaged: " + f.message()));
      }
      if (r.ok()) {
        return ExitCode.OK;
      }
      parent
          .streams
          .err()
          .println(
              "cu: storage: the store in "
                  + parent.state
                  + " is damaged ("
                  + r.findings().size()
                  + " problem"
                  + (r.findings().size() == 1 ? "" : "s")
                  + ")");
      return ExitCode.STORAGE;
    }
  }
}
