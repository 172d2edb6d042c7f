package dev.cu.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cu.codec.Cbor;
import dev.cu.codec.CborDecoder;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link InMemoryTableStore} driven directly with deltas, as the VM drives it. */
class InMemoryTableStoreTest {

  /** Builds a delta in the VM's form: an array of [table, key, value] with encoded items. */
  private static final class DeltaBuilder {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private int count;

    DeltaBuilder set(long table, String key, byte[] value) {
      uint(body, Cbor.MAJOR_ARRAY, 3);
      uint(body, Cbor.MAJOR_UINT, table);
      text(body, key);
      body.writeBytes(value);
      count++;
      return this;
    }

    DeltaBuilder delete(long table, String key) {
      return set(table, key, new byte[] {(byte) Cbor.NULL});
    }

    Delta build() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      uint(out, Cbor.MAJOR_ARRAY, count);
      out.writeBytes(body.toByteArray());
      return Delta.parse(out.toByteArray());
    }
  }

  /** A head of {@code major}: the argument in the initial byte when it fits, else in 8 bytes. */
  private static void uint(ByteArrayOutputStream out, int major, long v) {
    if (v < Cbor.AI_1) {
      out.write(major << 5 | (int) v);
    } else {
      out.write(major << 5 | Cbor.AI_8);
      for (int i = 7; i >= 0; i--) {
        out.write((int) (v >>> (8 * i)));
      }
    }
  }

  private static void text(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    uint(out, Cbor.MAJOR_TEXT, b.length);
    out.writeBytes(b);
  }

  private static byte[] integer(long v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    uint(out, Cbor.MAJOR_UINT, v);
    return out.toByteArray();
  }

  private static byte[] ref(long id) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Cbor.Writer w = new Cbor.Writer();
    w.head(Cbor.MAJOR_TAG, Cbor.TAG_EXTREF);
    out.writeBytes(w.toByteArray());
    uint(out, Cbor.MAJOR_UINT, id);
    return out.toByteArray();
  }

  private static Map<?, ?> loaded(TableStore s, long id) {
    byte[] b = s.load(id);
    return b == null ? null : (Map<?, ?>) CborDecoder.decode(b);
  }

  @Test
  void rootsAreStableDistinctAndListed() {
    try (InMemoryTableStore s = new InMemoryTableStore()) {
      long home = s.root("home");
      long io = s.root("io");
      assertThat(home).isNotEqualTo(io);
      assertThat(s.root("home")).isEqualTo(home);
      assertThat(s.tableIds()).containsExactlyInAnyOrder(home, io);
      assertThat(s.nextId()).isGreaterThan(Math.max(home, io));
      assertThat(s.load(home)).isNull();
    }
  }

  @Test
  void commitThenLoadRoundTrip() {
    try (InMemoryTableStore s = new InMemoryTableStore()) {
      long home = s.root("home");
      s.commit(
          new DeltaBuilder().set(home, "a", integer(1)).set(home, "b", integer(1000)).build(),
          s.nextId());
      Map<Object, Object> expected = new LinkedHashMap<>();
      expected.put("a", 1L);
      expected.put("b", 1000L);
      assertThat(loaded(s, home)).isEqualTo(expected);

      s.commit(new DeltaBuilder().set(home, "a", integer(2)).delete(home, "b").build(), s.nextId());
      assertThat(loaded(s, home)).isEqualTo(Map.of("a", 2L));
      s.commit(new DeltaBuilder().delete(home, "a").build(), s.nextId());
      assertThat(s.load(home)).isNull();
      assertThat(s.tableIds()).contains(home);
    }
  }

  @Test
  void loadOfAManyEntryTableDecodes() {
    try (InMemoryTableStore s = new InMemoryTableStore()) {
      long home = s.root("home");
      for (int n : new int[] {23, 24, 255, 256, 70_000}) {
        DeltaBuilder d = new DeltaBuilder();
        for (int i = 0; i < n; i++) {
          d.set(home, "k" + i, integer(i));
        }
        s.commit(d.build(), s.nextId());
        Map<?, ?> m = loaded(s, home);
        assertThat(m).hasSizeGreaterThanOrEqualTo(n);
        assertThat(m.get("k" + (n - 1))).isEqualTo((long) n - 1);
      }
    }
  }

  @Test
  void nextIdOnlyGrows() {
    try (InMemoryTableStore s = new InMemoryTableStore()) {
      long home = s.root("home");
      s.commit(new DeltaBuilder().build(), 100);
      assertThat(s.nextId()).isEqualTo(100);
      s.commit(new DeltaBuilder().set(home, "x", integer(1)).build(), 50);
      assertThat(s.nextId()).isEqualTo(100);
      long later = s.root("other");
      assertThat(later).isGreaterThanOrEqualTo(100);
      assertThat(s.nextId()).isGreaterThan(later);
    }
  }

  @Test
  void tablesWithEntriesAreListedAndEmptyOnesAreNot() {
    try (InMemoryTableStore s = new InMemoryTableStore()) {
      long home = s.root("home");
      long io = s.root("io");
      s.commit(new DeltaBuilder().set(home, "t", ref(10)).set(10, "x", integer(1)).build(), 11);
      assertThat(s.tableIds()).containsExactlyInAnyOrder(home, io, 10L);
      s.commit(new DeltaBuilder().delete(10, "x").build(), 11);
      assertThat(s.tableIds()).containsExactlyInAnyOrder(home, io);
      assertThat(s.load(10)).isNull();
      assertThat(s.load(12345)).isNull();
    }
  }

  @Test
  void sweepRemovesEverythingNoLongerReachable() {
    try (InMemoryTableStore s = new InMemoryTableStore()) {
      long home = s.root("home");
      long io = s.root("io");
      // home.a -> 10 -> 11; home.b -> 12 <-> 13 (a cycle); home.c -> 14, also 11 -> 14
      s.commit(
          new DeltaBuilder()
              .set(home, "a", ref(10))
              .set(10, "next", ref(11))
              .set(11, "v", integer(1))
              .set(11, "shared", ref(14))
              .set(14, "v", integer(4))
              .set(home, "b", ref(12))
              .set(12, "other", ref(13))
              .set(13, "other", ref(12))
              .set(home, "c", ref(14))
              .build(),
          15);
      assertThat(s.tableIds()).containsExactlyInAnyOrder(home, io, 10L, 11L, 12L, 13L, 14L);

      s.commit(new DeltaBuilder().delete(home, "a").build(), 15);
      assertThat(s.tableIds()).containsExactlyInAnyOrder(home, io, 12L, 13L, 14L);
      assertThat(loaded(s, 14)).isEqualTo(Map.of("v", 4L));

      s.commit(new DeltaBuilder().set(home, "b", integer(0)).build(), 15);
      assertThat(s.tableIds()).containsExactlyInAnyOrder(home, io, 14L);

      s.commit(new DeltaBuilder().delete(home, "c").build(), 15);
      assertThat(s.tableIds()).containsExactlyInAnyOrder(home, io);
      assertThat(s.load(11)).isNull();
      assertThat(s.load(14)).isNull();
    }
  }

  @Test
  void overwritingOneReferenceWithAnotherSweepsTheOld() {
    try (InMemoryTableStore s = new InMemoryTableStore()) {
      long home = s.root("home");
      s.commit(new DeltaBuilder().set(home, "t", ref(20)).set(20, "x", integer(1)).build(), 22);
      s.commit(new DeltaBuilder().set(home, "t", ref(21)).set(21, "y", integer(2)).build(), 22);
      assertThat(s.tableIds()).contains(21L).doesNotContain(20L);
      assertThat(loaded(s, 21)).isEqualTo(Map.of("y", 2L));
    }
  }

  @Test
  void ioRootIsKeptBySweeps() {
    try (InMemoryTableStore s = new InMemoryTableStore()) {
      long home = s.root("home");
      long io = s.root("io");
      s.commit(
          new DeltaBuilder()
              .set(io, "keep", integer(1))
              .set(home, "t", ref(30))
              .set(30, "x", integer(1))
              .build(),
          31);
      s.commit(new DeltaBuilder().delete(home, "t").build(), 31);
      assertThat(loaded(s, io)).isEqualTo(Map.of("keep", 1L));
      assertThat(s.tableIds()).containsExactlyInAnyOrder(home, io);
    }
  }
}
