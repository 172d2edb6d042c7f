package dev.cu.cli;

import dev.cu.ComputeResult;
import dev.cu.ComputeUnit;
import java.util.ArrayList;
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
 * cycles included.
 */
final class HomeExport {
  private static final String FLATTEN =
      String.join(
          "\n",
          "local json = require('json')",
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
          "  i = i + 1",
          "end",
          "return nodes, marks");

  private HomeExport() {}

  /** {@code _home} of {@code unit}: Lists and Maps as results are, sharing and cycles kept. */
  static Object read(ComputeUnit unit) {
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
        for (Map.Entry<?, ?> e : ((Map<?, ?>) copy).entrySet()) {
          table.put(e.getKey(), resolve(e.getValue(), markIndex, tables));
        }
      }
    }
    return tables.get(0);
  }

  private static Object resolve(
      Object v, IdentityHashMap<Object, Integer> markIndex, List<Object> tables) {
    Integer j = v == null ? null : markIndex.get(v);
    return j == null ? v : tables.get(j);
  }
}
