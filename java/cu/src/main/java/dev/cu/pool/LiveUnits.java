package dev.cu.pool;

import dev.cu.pool.KeySlot.Live;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The pool's live units: how many there are (with those being created) and which are idle, least
 * recently used first. A unit in use is not idle, so it is never evicted; when the count passes
 * the maximum the eldest idle units are taken out, and their slots remember their close (a new
 * unit of the same key waits for it: a namespace is held by one store at a time).
 */
final class LiveUnits {
  /** An evicted unit: the caller closes it, then completes {@code closed}. */
  record Victim(KeySlot slot, Live live, CompletableFuture<Void> closed) {}

  /**
   * What {@link #acquire} found: the slot's live unit, or none, with the close to wait for
   * before making one and the units evicted to make room.
   */
  record Claim(Live live, CompletableFuture<Void> waitFor, List<Victim> victims) {}

  private final int max;
  private final LinkedHashMap<KeySlot, Boolean> idle = new LinkedHashMap<>();
  private int count;

  LiveUnits(int max) {
    this.max = max;
  }

  /**
   * Takes the slot's unit for a request, or counts the unit the caller will make ({@link
   * #created} or {@link #failed} follows).
   */
  synchronized Claim acquire(KeySlot s) {
    if (s.live != null) {
      idle.remove(s);
      return new Claim(s.live, null, List.of());
    }
    count++;
    return new Claim(null, s.closing, evict());
  }

  synchronized void created(KeySlot s, Live live) {
    s.live = live;
    s.closing = null;
  }

  synchronized void failed() {
    count--;
  }

  /** The slot's unit is idle again, the most recently used; returns the units evicted now. */
  synchronized List<Victim> release(KeySlot s) {
    idle.put(s, Boolean.TRUE);
    return evict();
  }

  /** Takes the slot's unit out of the pool (its key is deleted, or it broke); null if none. */
  synchronized Live remove(KeySlot s) {
    Live l = s.live;
    if (l != null) {
      idle.remove(s);
      s.live = null;
      count--;
    }
    return l;
  }

  /**
   * Retires the slot when it has no unit, no unit being closed and nothing to do (see {@link
   * KeySlot}): a slot that left the pool's map takes with it the close a new unit must wait for.
   */
  synchronized boolean retire(KeySlot s) {
    return s.live == null && (s.closing == null || s.closing.isDone()) && s.retireIfIdle();
  }

  /** Takes every unit out (the pool closes); the caller closes them. */
  synchronized List<Live> takeAll(List<KeySlot> slots) {
    List<Live> all = new ArrayList<>();
    for (KeySlot s : slots) {
      Live l = remove(s);
      if (l != null) {
        all.add(l);
      }
    }
    return all;
  }

  /** The units in use now (live and not idle). */
  synchronized List<Live> busy(List<KeySlot> slots) {
    List<Live> out = new ArrayList<>();
    for (KeySlot s : slots) {
      if (s.live != null && !idle.containsKey(s)) {
        out.add(s.live);
      }
    }
    return out;
  }

  /** The close of the slot's evicted unit, or null. */
  synchronized java.util.concurrent.CompletableFuture<Void> closing(KeySlot s) {
    return s.closing;
  }

  /** Live units and units being made. */
  synchronized int count() {
    return count;
  }

  private List<Victim> evict() {
    if (count <= max || idle.isEmpty()) {
      return List.of();
    }
    List<Victim> out = new ArrayList<>();
    Iterator<KeySlot> it = idle.keySet().iterator();
    while (count > max && it.hasNext()) {
      KeySlot v = it.next();
      it.remove();
      CompletableFuture<Void> closed = new CompletableFuture<>();
      out.add(new Victim(v, v.live, closed));
      v.live = null;
      v.closing = closed;
      count--;
    }
    return out;
  }
}
