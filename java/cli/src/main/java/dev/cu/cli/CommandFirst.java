package dev.cu.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Options written before the command name ({@code cu --state DIR --key K eval CODE}) are read as
 * if written after it ({@code cu eval --state DIR --key K CODE}): the order in which to parse the
 * arguments moves them behind the name. The options are read with that command's own
 * definitions, so a value that happens to be a command name ({@code --key eval}) stays a value,
 * and anything that is not a run of that command's options followed by its name is left alone,
 * for picocli to accept or refuse as usual.
 */
final class CommandFirst {
  private CommandFirst() {}

  /**
   * The positions of {@code args} in the order to parse them, or null when they stay as given
   * (no option before the command name, or not a run of that command's options).
   */
  static int[] order(CommandLine cli, String[] args) {
    if (args.length == 0 || !args[0].startsWith("-")) {
      return null;
    }
    for (int name = 1; name < args.length; name++) {
      CommandLine command = cli.getSubcommands().get(args[name]);
      if (command != null && optionsOf(command.getCommandSpec(), args, name)) {
        int[] order = new int[args.length];
        order[0] = name;
        for (int i = 0; i < name; i++) {
          order[i + 1] = i;
        }
        for (int i = name + 1; i < args.length; i++) {
          order[i] = i;
        }
        return order;
      }
    }
    return null;
  }

  /** Whether {@code args[0, end)} is exactly a run of {@code spec}'s options with their values. */
  private static boolean optionsOf(CommandSpec spec, String[] args, int end) {
    int i = 0;
    while (i < end) {
      String arg = args[i];
      int eq = arg.indexOf('=');
      OptionSpec option =
          arg.startsWith("-") ? spec.findOption(eq < 0 ? arg : arg.substring(0, eq)) : null;
      if (option == null) {
        return false;
      }
      i += eq < 0 && option.arity().min() > 0 ? 2 : 1; // its value is the next argument
    }
    return i == end;
  }

  /** {@code items} in {@code order}. */
  static <T> List<T> reorder(List<T> items, int[] order) {
    List<T> out = new ArrayList<>(order.length);
    for (int i : order) {
      out.add(items.get(i));
    }
    return out;
  }
}
