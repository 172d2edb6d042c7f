package dev.cu.store;

import static dev.cu.store.LmdbTestSupport.integer;
import static dev.cu.store.LmdbTestSupport.ref;
import static dev.cu.store.LmdbTestSupport.rows;
import static dev.cu.store.LmdbTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cu.store.LmdbTestSupport.DeltaBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A large state round-trips; the compression ratio on a realistic state is measured. */
class LmdbScaleTest {
  private static final String[] FIRST = {
    "Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory",
    "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Victor", "Walter", "Zoe"
  };
  private static final String[] LAST = {
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin"
  };
  private static final String[] TAGS = {
    "admin", "beta", "premium", "trial", "support", "billing", "eu", "us", "apac", "churn-risk"
  };
  private static final String[] WORDS =
      ("the of and to in is was that for on are with as his "
              + "they be at one have this from by hot word but what some we can out other were all "
              + "there when up use your how said an each she which do their time if will way about "
              + "many then them write would like so these her long make thing see him two has look "
              + "more day could go come did number sound no most people my over know water than call "
              + "first who may down side been now find any new work part take get place made live "
              + "where after back little only round man year came show every good me give our under "
              + "order invoice customer account payment delivery address status pending shipped")
          .split(" ");

  @TempDir Path dir;

  @Test
  void aHundredThousandRowsRoundTripAfterReopening() {
    Map<Long, Map<String, String>> expected = new HashMap<>();
    long home;
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, LmdbOptions.defaults());
        LmdbTableStore s = env.store("default")) {
      home = s.root("home");
      long next = s.nextId();
      for (int batch = 0; batch < 10; batch++) { // 10 commits of 100 tables x 100 rows
        DeltaBuilder d = new DeltaBuilder();
        for (int t = 0; t < 100; t++) {
          long id = next++;
          d.set(home, integer(id), ref(id));
          Map<String, String> rows = new HashMap<>();
          for (int i = 0; i < 100; i++) {
            byte[] v = i % 2 == 0 ? integer(id * 1000 + i) : text("row " + i + " of " + id);
            d.set(id, integer(i), v);
            rows.put(LmdbTestSupport.hex(integer(i)), LmdbTestSupport.hex(v));
          }
          expected.put(id, rows);
        }
        s.commit(d.build(), next);
      }
      assertThat(s.tableIds()).hasSize(1001);
    }
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, LmdbOptions.defaults());
        LmdbTableStore s = env.store("default")) {
      assertThat(rows(s, home)).hasSize(1000);
      int total = 0;
      for (Map.Entry<Long, Map<String, String>> e : expected.entrySet()) {
        Map<String, String> got = rows(s, e.getKey());
        assertThat(got).isEqualTo(e.getValue());
        total += got.size();
      }
      assertThat(total).isEqualTo(100_000);
    }
  }

  private static String sentence(Random r, int words) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < words; i++) {
      sb.append(i == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
    }
    return sb.append(". ").toString();
  }

  /** Writes 10,000 user records and 500 long documents; returns the logical row bytes. */
  private static long writeRealisticState(LmdbTableStore s) {
    Random r = new Random(2024);
    long home = s.root("home");
    long next = s.nextId();
    long users = next++;
    long docs = next++;
    long logical = 0;
    DeltaBuilder d = new DeltaBuilder().set(home, "users", ref(users)).set(home, "docs", ref(docs));
    for (int u = 1; u <= 10_000; u++) {
      long rec = next++;
      long tags = next++;
      String first = FIRST[r.nextInt(FIRST.length)];
      String last = LAST[r.nextInt(LAST.length)];
      byte[][] rows = {
        integer(u),
        ref(rec),
        text("id"),
        integer(u),
        text("name"),
        text(first + " " + last),
        text("email"),
        text(first.toLowerCase() + "." + last.toLowerCase() + u + "@example.com"),
        text("tags"),
        ref(tags)
      };
      d.set(users, rows[0], rows[1]);
      for (int i = 2; i < rows.length; i += 2) {
        d.set(rec, rows[i], rows[i + 1]);
      }
      for (byte[] b : rows) {
        logical += b.length;
      }
      int n = 1 + r.nextInt(3);
      for (int i = 1; i <= n; i++) {
        byte[] tag = text(TAGS[r.nextInt(TAGS.length)]);
        d.set(tags, integer(i), tag);
        logical += integer(i).length + tag.length;
      }
      if (u % 1000 == 0) {
        s.commit(d.build(), next);
        d = new DeltaBuilder();
      }
    }
    for (int i = 1; i <= 500; i++) {
      StringBuilder doc = new StringBuilder();
      int target = 2000 + r.nextInt(6000);
      while (doc.length() < target) {
        doc.append(sentence(r, 5 + r.nextInt(15)));
      }
      byte[] v = text(doc.toString());
      d.set(docs, integer(i), v);
      logical += integer(i).length + v.length;
    }
    s.commit(d.build(), next);
    return logical;
  }

  @Test
  void compressionRatioOnARealisticState() throws Exception {
    long[] fileSize = new long[2];
    long[] storedValues = new long[2];
    long[] docValues = new long[2];
    long logical = 0;
    int[] thresholds = {LmdbOptions.DEFAULT_COMPRESSION_THRESHOLD, Integer.MAX_VALUE};
    for (int k = 0; k < 2; k++) {
      Path d = dir.resolve(k == 0 ? "zstd" : "plain");
      try (LmdbEnvironment env =
              LmdbEnvironment.open(
                  d, LmdbTestSupport.fast().withCompressionThreshold(thresholds[k]));
          LmdbTableStore s = env.store("default")) {
        logical = writeRealisticState(s);
        assertThat(rows(s, 4)).hasSize(4); // record 1: id, name, email, tags
      }
      for (Map.Entry<String, byte[]> e : LmdbTestSupport.raw(d, "rows").entrySet()) {
        storedValues[k] += e.getValue().length;
        if (e.getKey().startsWith("00000001" + "0000000000000003")) { // the documents
          docValues[k] += e.getValue().length;
        }
      }
      fileSize[k] = Files.size(d.resolve("data.mdb"));
    }
    Map<String, byte[]> docRows = new HashMap<>();
    LmdbTestSupport.raw(dir.resolve("zstd"), "rows")
        .forEach(
            (key, v) -> {
              if (key.startsWith("00000001" + "0000000000000003") && v[0] == 1) {
                docRows.put(key, v);
              }
            });
    System.out.printf(
        "compression: logical row bytes %d; stored values %d with zstd, %d plain "
            + "(ratio %.2f); long documents %d with zstd, %d plain (ratio %.2f); data.mdb %d with "
            + "zstd, %d plain (ratio %.2f); %d compressed rows%n",
        logical,
        storedValues[0],
        storedValues[1],
        (double) storedValues[1] / storedValues[0],
        docValues[0],
        docValues[1],
        (double) docValues[1] / docValues[0],
        fileSize[0],
        fileSize[1],
        (double) fileSize[1] / fileSize[0],
        docRows.size());
    assertThat(docRows).hasSize(500); // every document compressed, no short row
    assertThat(storedValues[0]).isLessThan(storedValues[1] * 3 / 4);
    assertThat(fileSize[0]).isLessThan(fileSize[1]);
  }
}
