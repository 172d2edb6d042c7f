package dev.cu.flink;

import dev.cu.ComputeUnit;
import dev.cu.LuaFunction;
import dev.cu.store.MapTableStore;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A subtask's live units, at most {@code max}, by key, least recently used first. A unit holds
 * only a cache of its key's keyed state (every compute commits to it), so closing one loses
 * nothing: its next event rebuilds it. Used by the task's one thread; the counts are also read
 * by Flink's metric reporters, hence volatile.
 */
final class LiveUnits<K> {
  /**
   * A key's unit, the store over its keyed state and that store's map, and its event script,
   * compiled once.
   */
  record Live(ComputeUnit unit, MapTableStore store, KeyedStateTableMap map, LuaFunction script) {
    void close() {
      try {
        unit.close();
      } finally {
        store.close();
      }
    }
  }

  private final int max;
  private final LinkedHashMap<K, Live> units = new LinkedHashMap<>(16, 0.75f, true);
  private volatile int size;
  private volatile long created;
  private volatile long evicted;

  LiveUnits(int max) {
    this.max = max;
  }

  /** The key's unit, now the most recently used; null when it has none. */
  Live get(K key) {
    return units.get(key);
  }

  /** Adds the key's new unit, closing the least recently used ones beyond the maximum. */
  void put(K key, Live live) {
    units.put(key, live);
    created++;
    Iterator<Map.Entry<K, Live>> it = units.entrySet().iterator();
    while (units.size() > max && it.hasNext()) {
      Live old = it.next().getValue();
      it.remove();
      evicted++;
      old.close();
    }
    size = units.size();
  }

  /** Closes and forgets the key's unit, if it has one. */
  void remove(K key) {
    Live live = units.remove(key);
    size = units.size();
    if (live != null) {
      live.close();
    }
  }

  int size() {
    return size;
  }

  long created() {
    return created;
  }

  long evicted() {
    return evicted;
  }

  /** Closes every unit; the first failure is thrown after all were tried. */
  void closeAll() {
    RuntimeException first = null;
    for (Live live : units.values()) {
      try {
        live.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    units.clear();
    size = 0;
    if (first != null) {
      throw first;
    }
  }
}
