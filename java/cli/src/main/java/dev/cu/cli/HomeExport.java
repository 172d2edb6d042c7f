package dev.cu.cli;

import dev.cu.ComputeResult;
import dev.cu.ComputeUnit;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code _home} as a Java graph of any depth and shape for {@code cu state export}.
 * Returning {@code _home} as one value would stop at the value codec's depth limit (200), though
 * {@code _home} takes deeper nesting one write at a time. So a chunk walks it breadth-first with
 * {@code next} (raw, as the codec reads tables) and returns two flat lists: {@code nodes}, a
 * shallow copy of each table met, in which every table value is replaced by a mark, an empty
 * table standing for node {@code j}; and {@code marks}, mark {@code j} at {@code j}. A mark occurs
 * in both lists, so the codec shares it and it decodes to one Java object: node references are
 * found by identity, never by content, and no value of {@code _home} can pass for one. An empty
 * table stored as an array (docs/FORMAT.md, "Arrays and null") is copied as an empty array, so it
 * exports as {@code []}. The graph is then rebuilt here without recursion, shared tables and
 * cycles included, and the members of each map sorted ({@link #KEY_ORDER}). Every 1,024 tables the walk reports its count to a host function, for the
 * progress bar of a large state.
 */
final class HomeExport {
  /** The host function the walk reports its count to. */
  static final String PROGRESS = "cu_export_progress";

  private static final String FLATTEN =
      String.join(
          "\n",
          "local json, progress = require('json'), " + PROGRESS,
          "local queue, index, nodes, marks = {_home}, {[_home] = 1}, {}, {{}}",
          "local n, i = 1, 1",
          "while i <= n do",
          "  local copy = {}",
          "  for k, v in next, queue[i] do",
          "    if type(v) == 'table' then",
          "      local j = index[v]",
          "      if j == nil then",
          "        n = n + 1",
          "        queue[n], index[v], marks[n] = v, n, {}",
          "        j = n",
          "      end",
          "      v = marks[j]",
          "    end",
          "    copy[k] = v",
          "  end",
          "  if next(copy) == nil and json.encode(queue[i]) == '[]' then copy = json.array(copy) end",
          "  nodes[i] = copy",
          "  if i % 1024 == 0 then progress(i) end",
          "  i = i + 1",
          "end",
          "return nodes, marks");

  private HomeExport() {}

  /** {@code _home} of {@code unit}: Lists and Maps as results are, sharing and cycles kept. */
  static Object read(ComputeUnit unit) {
    return read(unit, Progress.on(System.err, false, "", "tables", Long.MAX_VALUE));
  }

  /**
   * Like {@link #read(ComputeUnit)}, showing on {@code progress} how many of the store's tables
   * the walk has copied.
   */
  static Object read(ComputeUnit unit, Progress progress) {
    long total = unit.getTableInfo().tableCount();
    unit.register(
        PROGRESS,
        args -> {
          progress.to((Long) args.get(0), Math.max(total, (Long) args.get(0)));
          return null;
        });
    ComputeResult r = unit.execute("export", FLATTEN);
    List<?> nodes = (List<?>) r.values().get(0);
    List<?> marks = (List<?>) r.values().get(1);
    IdentityHashMap<Object, Integer> markIndex = new IdentityHashMap<>();
    for (int j = 0; j < marks.size(); j++) {
      markIndex.put(marks.get(j), j);
    }
    List<Object> tables = new ArrayList<>(nodes.size());
    for (Object copy : nodes) {
      tables.add(
          copy instanceof List<?> l
              ? new ArrayList<>(l.size())
              : new LinkedHashMap<>(((Map<?, ?>) copy).size() * 2));
    }
    for (int j = 0; j < nodes.size(); j++) {
      Object copy = nodes.get(j);
      if (copy instanceof List<?> items) {
        @SuppressWarnings("unchecked")
        List<Object> table = (List<Object>) tables.get(j);
        for (Object v : items) {
          table.add(resolve(v, markIndex, tables));
        }
      } else {
        @SuppressWarnings("unchecked")
        Map<Object, Object> table = (Map<Object, Object>) tables.get(j);
        List<Map.Entry<?, ?>> members = new ArrayList<>(((Map<?, ?>) copy).entrySet());
        members.sort((a, b) -> KEY_ORDER.compare(a.getKey(), b.getKey()));
        for (Map.Entry<?, ?> e : members) {
          table.put(e.getKey(), resolve(e.getValue(), markIndex, tables));
        }
      }
    }
    return tables.get(0);
  }

  /**
   * The order of a map's members in the export, so that one state always exports the same bytes
   * (Lua's {@code next} order changes from process to process: string hashes are seeded):
   * numbers by value (an integer before an equal float), then false, true, then strings (UTF-16
   * order), then strings that are not UTF-8 (bytes), then anything else by its text.
   */
  static final Comparator<Object> KEY_ORDER =
      (a, b) -> {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
          return Integer.compare(ra, rb);
        }
        return switch (ra) {
          case 0 -> numbers(a, b);
          case 1 -> Boolean.compare((Boolean) a, (Boolean) b);
          case 2 -> ((String) a).compareTo((String) b);
          case 3 -> Arrays.compare((byte[]) a, (byte[]) b);
          default -> String.valueOf(a).compareTo(String.valueOf(b));
        };
      };

  private static int rank(Object key) {
    if (key instanceof Long || key instanceof Double) {
      return 0;
    } else if (key instanceof Boolean) {
      return 1;
    } else if (key instanceof String) {
      return 2;
    } else if (key instanceof byte[]) {
      return 3;
    }
    return 4;
  }

  private static int numbers(Object a, Object b) {
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    } else if (a instanceof Double x && b instanceof Double y) {
      return Double.compare(x, y);
    }
    int c = exact(a).compareTo(exact(b));
    return c != 0 ? c : Boolean.compare(a instanceof Double, b instanceof Double);
  }

  private static BigDecimal exact(Object n) {
    return n instanceof Long l ? BigDecimal.valueOf(l) : new BigDecimal((Double) n);
  }

  private static Object resolve(
      Object v, IdentityHashMap<Object, Integer> markIndex, List<Object> tables) {
    Integer j = v == null ? null : markIndex.get(v);
    return j == null ? v : tables.get(j);
  }
}
