package dev.cu.store;

import static dev.cu.store.LmdbTestSupport.function;
import static dev.cu.store.LmdbTestSupport.integer;
import static dev.cu.store.LmdbTestSupport.ref;
import static dev.cu.store.LmdbTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cu.ChildJvm;
import dev.cu.store.LmdbTestSupport.DeltaBuilder;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random bit flips anywhere in {@code data.mdb} (page headers, branch pages, keys, values, meta
 * pages): reading a damaged store either returns exactly what was stored or throws
 * {@link CuStateException}; it never crashes the JVM and never silently returns fewer or other
 * rows. Each damaged copy is opened and read in a child JVM, so a SIGBUS inside LMDB fails the
 * test instead of killing it.
 */
class LmdbBitFlipTest {
  private static final int SEEDS = 30;
  private static final int BITS = 20;

  @TempDir Path dir;

  /** 60 tables of small, long, function, long-key rows; some rows rewritten (free pages). */
  static Map<Long, Map<String, String>> populate(Path store) {
    Map<Long, Map<String, String>> expected = new TreeMap<>();
    try (LmdbEnvironment env = LmdbEnvironment.open(store, LmdbTestSupport.fast());
        LmdbTableStore s = env.store("default")) {
      long home = s.root("home");
      long first = s.nextId();
      int tables = 60;
      DeltaBuilder d = new DeltaBuilder();
      for (long t = first; t < first + tables; t++) {
        d.set(home, integer(t), ref(t));
        for (int i = 0; i < 40; i++) {
          d.set(t, integer(i), text("value " + i + " of table " + t));
        }
        d.set(t, "big", text(("row of table " + t + ", ").repeat(40 + (int) t * 7)));
        d.set(t, "fn", function("return " + t));
        d.set(t, "k".repeat(600) + t, integer(t));
      }
      s.commit(d.build(), first + tables);
      DeltaBuilder again = new DeltaBuilder();
      for (long t = first; t < first + tables; t += 3) {
        again.set(t, integer(1), text("rewritten " + t));
        again.delete(t, integer(2));
      }
      s.commit(again.build(), first + tables);
      for (long id : s.tableIds()) {
        expected.put(id, LmdbTestSupport.rows(s, id));
      }
    }
    return expected;
  }

  /** The used pages of a data.mdb: page size, last page, and the typed pages by kind. */
  record Pages(int psize, long last, List<Long> branch, List<Long> leaf) {
    static Pages of(byte[] f) {
      ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
      int psize = b.getInt(16 + 24);
      long t0 = b.getLong(16 + 24 + 96 + 8);
      long t1 = b.getLong(psize + 16 + 24 + 96 + 8);
      long last = b.getLong((t1 > t0 ? psize : 0) + 16 + 24 + 96);
      List<Long> branch = new ArrayList<>();
      List<Long> leaf = new ArrayList<>();
      for (long p = 2; p <= last; p++) {
        int at = (int) (p * psize);
        if (b.getLong(at) != p) {
          continue; // overflow data, or a page never written
        }
        int flags = b.getShort(at + 10) & 0x7f;
        if (flags == 1) {
          branch.add(p);
        } else if (flags == 2) {
          leaf.add(p);
        }
      }
      return new Pages(psize, last, branch, leaf);
    }
  }

  /**
   * Flips {@link #BITS} bits of {@code f}. Seeds 0-9: anywhere in the used pages; 10-19: page
   * headers, node pointers and branch pages (two in the meta pages); 20-29: leaf node headers
   * and keys.
   */
  static List<String> flip(byte[] f, Pages pages, int seed) {
    Random r = new Random(seed);
    ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
    List<String> where = new ArrayList<>();
    for (int i = 0; i < BITS; i++) {
      long at;
      if (seed < 10) {
        at = (long) (r.nextDouble() * (pages.last() + 1) * pages.psize());
      } else if (seed < 20) {
        if (i < 2) {
          at = (long) r.nextInt(2) * pages.psize() + 16 + r.nextInt(144);
        } else if (r.nextBoolean() && !pages.branch().isEmpty()) {
          long p = pages.branch().get(r.nextInt(pages.branch().size()));
          at = p * pages.psize() + r.nextInt(pages.psize());
        } else {
          List<Long> all =
              r.nextBoolean() || pages.branch().isEmpty() ? pages.leaf() : pages.branch();
          long p = all.get(r.nextInt(all.size()));
          int lower = b.getShort((int) (p * pages.psize()) + 12) & 0xffff;
          at = p * pages.psize() + r.nextInt(Math.max(16, lower));
        }
      } else {
        long p = pages.leaf().get(r.nextInt(pages.leaf().size()));
        int base = (int) (p * pages.psize());
        int n = ((b.getShort(base + 12) & 0xffff) - 16) / 2;
        int node = b.getShort(base + 16 + 2 * r.nextInt(Math.max(1, n))) & 0xffff;
        int ksize = node + 8 <= pages.psize() ? b.getShort(base + node + 6) & 0xffff : 0;
        at = base + Math.min(pages.psize() - 1, node + r.nextInt(8 + ksize));
      }
      int bit = r.nextInt(8);
      f[(int) at] ^= (byte) (1 << bit);
      where.add("page " + at / pages.psize() + "+" + at % pages.psize() + " bit " + bit);
    }
    return where;
  }

  private static void copy(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (Stream<Path> s = Files.list(from)) {
      for (Path p : s.toList()) {
        Files.copy(p, to.resolve(p.getFileName()));
      }
    }
  }

  @Test
  void randomBitFlipsInDataMdbNeverCrashAndNeverLoseRowsSilently() throws Exception {
    Path store = dir.resolve("store");
    Map<Long, Map<String, String>> expected = populate(store);
    Path expectedFile = dir.resolve("expected.bin");
    try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(expectedFile))) {
      out.writeObject(new TreeMap<>(expected));
    }
    byte[] original = Files.readAllBytes(store.resolve("data.mdb"));
    Pages pages = Pages.of(original);
    assertThat(pages.branch()).as("the rows tree has branch pages").isNotEmpty();
    Map<String, List<String>> flips = new LinkedHashMap<>();
    List<String> pending = new ArrayList<>();
    for (int seed = 0; seed < SEEDS; seed++) {
      Path copy = dir.resolve("seed-" + seed);
      copy(store, copy);
      byte[] f = original.clone();
      flips.put("seed-" + seed, flip(f, pages, seed));
      Files.write(copy.resolve("data.mdb"), f);
      pending.add(copy.toString());
    }
    Map<String, String> outcome = new LinkedHashMap<>();
    while (!pending.isEmpty()) {
      List<String> args = new ArrayList<>(List.of(expectedFile.toString()));
      args.addAll(pending);
      ChildJvm.Result r = ChildJvm.run(BitFlipChild.class, args.toArray(new String[0]));
      for (String line : r.output().split("\n")) {
        int sp = line.indexOf(' ');
        if (line.startsWith("seed-") && sp > 0) {
          outcome.put(line.substring(0, sp), line.substring(sp + 1));
          pending.remove(dir.resolve(line.substring(0, sp)).toString());
        }
      }
      if (r.exitCode() != 0 && !pending.isEmpty()) {
        String crashed = pending.remove(0); // the JVM died while reading this one
        String out = r.output();
        outcome.put(
            Path.of(crashed).getFileName().toString(),
            "CRASH exit " + r.exitCode() + ": " + out.substring(Math.max(0, out.length() - 400)));
      }
    }
    Map<String, Integer> kinds = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, String> e : outcome.entrySet()) {
      String kind = e.getValue().split(" ")[0];
      kinds.merge(kind, 1, Integer::sum);
      boolean ok =
          kind.equals("CLEAN")
              || kind.equals("DAMAGE")
                  && e.getValue().startsWith("DAMAGE " + CuStateException.class.getName());
      if (!ok) {
        failures.add(e.getKey() + ": " + e.getValue() + " after flips " + flips.get(e.getKey()));
      }
    }
    System.out.println("bit flips: " + kinds + "; " + outcome);
    assertThat(outcome).hasSize(SEEDS);
    assertThat(failures).isEmpty();
    assertThat(kinds.getOrDefault("DAMAGE", 0)).as("damage found").isGreaterThan(SEEDS / 2);
  }
}
