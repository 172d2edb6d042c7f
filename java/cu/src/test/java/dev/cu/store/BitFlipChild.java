package dev.cu.store;

import java.io.ObjectInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;

/**
 * Child JVM main for {@link LmdbBitFlipTest}: for each store folder given after the file of
 * expected contents, opens it, reads every table and prints one line, {@code <folder> CLEAN}
 * (identical content), {@code <folder> DAMAGE <exception class>: <message>}, or
 * {@code <folder> SILENT <what differs>}. A native crash ends the JVM mid-list.
 */
public final class BitFlipChild {
  private BitFlipChild() {}

  public static void main(String[] args) throws Exception {
    Map<Long, Map<String, String>> expected;
    try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(Path.of(args[0])))) {
      @SuppressWarnings("unchecked")
      Map<Long, Map<String, String>> m = (Map<Long, Map<String, String>>) in.readObject();
      expected = m;
    }
    for (int i = 1; i < args.length; i++) {
      Path dir = Path.of(args[i]);
      System.out.println(dir.getFileName() + " " + classify(dir, expected));
      System.out.flush();
    }
  }

  static String classify(Path dir, Map<Long, Map<String, String>> expected) {
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, LmdbTestSupport.fast());
        LmdbTableStore s = env.store("default")) {
      CuStateException first = null;
      StringBuilder silent = new StringBuilder();
      for (Map.Entry<Long, Map<String, String>> e : expected.entrySet()) {
        try {
          Map<String, String> got = LmdbTestSupport.rows(s, e.getKey());
          if (!e.getValue().equals(got)) {
            silent
                .append("table ")
                .append(e.getKey())
                .append(" has ")
                .append(got == null ? 0 : got.size())
                .append(" of ")
                .append(e.getValue().size())
                .append(" rows or other values; ");
          }
        } catch (CuStateException x) {
          first = first == null ? x : first;
        }
      }
      if (!new TreeSet<>(s.tableIds()).equals(new TreeSet<>(expected.keySet()))
          && first == null
          && silent.length() == 0) {
        silent.append("table ids ").append(s.tableIds());
      }
      if (silent.length() > 0) {
        return "SILENT " + silent;
      }
      return first == null ? "CLEAN" : "DAMAGE " + first;
    } catch (RuntimeException e) {
      return "DAMAGE " + e;
    }
  }
}
