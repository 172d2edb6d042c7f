package dev.cu.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The machine a run used: CPU, cores, memory, OS, read from /proc and the JVM. */
final class Machine {
  private Machine() {}

  /**
   * A description of this machine, item by item, in display order.
   *
   * @param root where {@code proc/} and {@code etc/} are ({@code /} normally; tests pass a copy)
   * @return label to value
   */
  static Map<String, String> describe(Path root) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("CPU", field(root.resolve("proc/cpuinfo"), "model name", ':').orElse("unknown"));
    m.put(
        "cores available to the JVM", Integer.toString(Runtime.getRuntime().availableProcessors()));
    m.put(
        "memory",
        field(root.resolve("proc/meminfo"), "MemTotal", ':')
            .map(Machine::kibToGib)
            .orElse("unknown"));
    m.put(
        "OS",
        field(root.resolve("etc/os-release"), "PRETTY_NAME", '=')
                .map(v -> v.replace("\"", ""))
                .orElse(System.getProperty("os.name"))
            + ", "
            + System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    return m;
  }

  private static String kibToGib(String v) {
    String digits = v.replaceAll("[^0-9]", "");
    if (digits.isEmpty()) {
      return v;
    }
    return Fmt.num(Long.parseLong(digits) / (1024.0 * 1024.0)) + " GiB";
  }

  /** The value of the first {@code name<sep>value} line of a file, if any. */
  static Optional<String> field(Path file, String name, char sep) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      return Optional.empty();
    }
    for (String l : lines) {
      int i = l.indexOf(sep);
      if (i > 0 && l.substring(0, i).strip().equals(name)) {
        return Optional.of(l.substring(i + 1).strip());
      }
    }
    return Optional.empty();
  }
}
