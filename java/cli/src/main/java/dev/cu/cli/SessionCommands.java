package dev.cu.cli;

import dev.cu.ComputeUnit;
import dev.cu.MemoryStats;
import dev.cu.TableInfo;
import java.util.List;
import java.util.Locale;

/**
 * The commands of a {@link Repl} session: lines starting with {@code :} and a letter ({@code
 * ::name::}, a Lua label, is Lua). A failing command prints its error as a chunk's would, and
 * the session goes on.
 */
final class SessionCommands {
  /** The text of {@code :help}. */
  static final String HELP =
      String.join(
          "\n",
          "Enter Lua code; globals stay from line to line. An expression prints its values,",
          "tables as JSON; =EXPR does too. A chunk that is not finished continues after >>.",
          "  :help        this text",
          "  :state       the state folder, its tables and named states, the memory in use",
          "  :save NAME   save the state as the named state NAME",
          "  :load NAME   replace the state by the named state NAME",
          "  :reset       a fresh unit: globals are cleared, _home is what the state folder",
          "               holds (empty with --ephemeral)",
          "Tab completes names and commands. Ctrl-C stops a running chunk or clears the line;",
          "Ctrl-D (end of input) leaves.");

  private final Repl repl;
  private final CommonOptions options;

  SessionCommands(Repl repl, CommonOptions options) {
    this.repl = repl;
    this.options = options;
  }

  /** Whether {@code line} is a command: {@code :} and a letter, after any blanks. */
  static boolean isCommand(String line) {
    String s = line.strip();
    return s.length() > 1 && s.charAt(0) == ':' && Character.isLetter(s.charAt(1));
  }

  /** Runs the command {@code line}; returns true (the session goes on). */
  boolean run(String line) {
    String[] words = line.substring(1).strip().split("\\s+");
    String name = words[0];
    try {
      switch (name) {
        case "help" -> repl.println(HELP);
        case "state" -> state();
        case "save" -> save(argument(words));
        case "load" -> load(argument(words));
        case "reset" -> reset();
        default ->
            throw new CliException(
                ErrorKind.USAGE, "unknown command :" + name + " (:help lists the commands)");
      }
    } catch (RuntimeException | LinkageError e) {
      repl.report(e);
    }
    return true;
  }

  /** The NAME of {@code :save NAME} and {@code :load NAME}: exactly one, a valid name. */
  private static String argument(String[] words) {
    if (words.length != 2) {
      throw new CliException(ErrorKind.USAGE, ":" + words[0] + " needs one NAME");
    }
    return StateCommand.checkName(words[1]);
  }

  private ComputeUnit unit() {
    ComputeUnit unit = repl.unit();
    if (unit == null) {
      throw new CliException(ErrorKind.RUNTIME, "no unit: :reset failed; try :reset again");
    }
    return unit;
  }

  private void needState(String command) {
    if (options.ephemeral) {
      throw new CliException(
          ErrorKind.USAGE, command + " needs a state folder: this session is --ephemeral");
    }
  }

  private void state() {
    ComputeUnit unit = unit();
    TableInfo tables = unit.getTableInfo();
    MemoryStats memory = unit.getMemoryStats();
    if (options.ephemeral) {
      repl.println("state: none (--ephemeral): _home lives in memory until the session ends");
    } else {
      String key = options.store.key() == null ? "" : ", key " + options.store.key();
      repl.println("state: " + (options.state == null ? ".cu" : options.state) + key);
    }
    repl.println(
        "tables: "
            + tables.tableCount()
            + " (_home is table "
            + tables.homeTableId()
            + ", _io table "
            + tables.ioTableId()
            + ")");
    if (!options.ephemeral) {
      List<String> names = unit.listStates();
      repl.println("named states: " + (names.isEmpty() ? "none" : String.join(", ", names)));
    }
    repl.println(
        "memory: "
            + size(memory.used())
            + " used, peak "
            + size(memory.peak())
            + ", limit "
            + (memory.limit() == 0 ? "none" : size(memory.limit())));
  }

  private void save(String name) {
    needState(":save");
    unit().saveState(name);
    repl.println("saved " + name);
  }

  private void load(String name) {
    needState(":load");
    ComputeUnit unit = unit();
    if (!unit.listStates().contains(name)) {
      throw new CliException(ErrorKind.USAGE, "no state named " + name + " (:state lists them)");
    }
    unit.loadState(name);
    repl.println("loaded " + name);
  }

  private void reset() {
    repl.reset();
    repl.println(
        options.ephemeral
            ? "reset: a fresh unit, _home empty"
            : "reset: a fresh unit, _home as the state folder holds it");
  }

  /** {@code bytes} in binary units, e.g. {@code 1.5 MiB}. */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int i = -1;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
  }
}
