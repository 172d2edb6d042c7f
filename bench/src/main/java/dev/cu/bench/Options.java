package dev.cu.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code --name value} options of the benchmark tools' {@code main} methods. */
public final class Options {
  private Options() {}

  /**
   * The options in {@code args} as name to value, in order; a trailing name without a value is
   * ignored.
   *
   * @throws IllegalArgumentException when a name does not start with {@code --}
   */
  public static Map<String, String> parse(String[] args) {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected an option: " + args[i]);
      }
      o.put(args[i].substring(2), args[i + 1]);
    }
    return o;
  }
}
