package dev.cu.store;

import java.util.Arrays;

/**
 * A map from {@code long} ids to {@code long} counts without boxing: open addressing with linear
 * probing and backward-shift removal, so no tombstones accumulate. An absent id counts zero.
 * Reference counts of the in-memory stores and the per-commit counts of LMDB live here: a commit
 * of a thousand small tables reads and writes several thousand counts.
 */
final class LongCounts {
  private long[] keys;
  private long[] values;
  private boolean[] used;
  private int size;
  private int mask;
  private int shift;

  LongCounts() {
    init(16);
  }

  private void init(int capacity) {
    keys = new long[capacity];
    values = new long[capacity];
    used = new boolean[capacity];
    mask = capacity - 1;
    shift = 64 - Integer.numberOfTrailingZeros(capacity);
    size = 0;
  }

  private int home(long key) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
  }

  /** The slot of {@code key}, or -1 when absent. */
  private int find(long key) {
    for (int i = home(key); used[i]; i = (i + 1) & mask) {
      if (keys[i] == key) {
        return i;
      }
    }
    return -1;
  }

  /** Whether {@code key} holds a count (possibly zero or negative). */
  boolean contains(long key) {
    return find(key) >= 0;
  }

  /** The count of {@code key}, zero when absent. */
  long get(long key) {
    int i = find(key);
    return i < 0 ? 0 : values[i];
  }

  /** Sets the count of {@code key}. */
  void put(long key, long value) {
    int i = home(key);
    for (; used[i]; i = (i + 1) & mask) {
      if (keys[i] == key) {
        values[i] = value;
        return;
      }
    }
    used[i] = true;
    keys[i] = key;
    values[i] = value;
    if (++size * 2 > keys.length) {
      grow();
    }
  }

  /** Adds {@code delta} to the count of {@code key}; returns the new count. */
  long add(long key, long delta) {
    int i = find(key);
    if (i >= 0) {
      return values[i] += delta;
    }
    put(key, delta);
    return delta;
  }

  /** Removes {@code key}; later it counts zero. */
  void remove(long key) {
    int i = find(key);
    if (i < 0) {
      return;
    }
    used[i] = false;
    size--;
    // backward shift: move later entries of the run into the hole when their home allows it
    for (int j = (i + 1) & mask; used[j]; j = (j + 1) & mask) {
      int h = home(keys[j]);
      boolean stays = i <= j ? i < h && h <= j : i < h || h <= j;
      if (!stays) {
        keys[i] = keys[j];
        values[i] = values[j];
        used[i] = true;
        used[j] = false;
        i = j;
      }
    }
  }

  /** Removes every count. */
  void clear() {
    if (size > 0) {
      Arrays.fill(used, false);
      size = 0;
    }
  }

  int size() {
    return size;
  }

  /** The keys, in no particular order. */
  long[] keys() {
    long[] out = new long[size];
    int n = 0;
    for (int i = 0; i < keys.length && n < size; i++) {
      if (used[i]) {
        out[n++] = keys[i];
      }
    }
    return out;
  }

  /** Receives one entry of {@link #forEach}. */
  interface Entry {
    void accept(long key, long value);
  }

  /**
   * Passes every entry, in no particular order. {@code each} must not change this map.
   */
  void forEach(Entry each) {
    if (size == 0) {
      return;
    }
    for (int i = 0; i < keys.length; i++) {
      if (used[i]) {
        each.accept(keys[i], values[i]);
      }
    }
  }

  private void grow() {
    long[] k = keys;
    long[] v = values;
    boolean[] u = used;
    init(k.length * 2);
    for (int i = 0; i < k.length; i++) {
      if (u[i]) {
        put(k[i], v[i]);
      }
    }
  }
}
