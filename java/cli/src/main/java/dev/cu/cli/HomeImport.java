package dev.cu.cli;

import dev.cu.ComputeUnit;
import java.util.Map;

/**
 * Writes a document read by {@link ImportReader} into {@code _home} for {@code cu state import},
 * in one chunk, so in one commit: a failure anywhere (the document, a limit, the store) rolls
 * the whole import back. The chunk pulls batches from a host function. Giving Lua the graph as
 * one value would stop at the value codec's depth limit (200) and copy shared tables once per
 * place they are assigned, so every table of the document is made external on its own instead:
 * it is attached, empty, under a staging key of {@code _home} (a float key, which import never
 * writes, not in use), its proxy is kept by node number, and its members are then set one by
 * one, a table member being that proxy: no write copies more than one level, sharing and cycles
 * are the proxies' own, and the staging key is removed at the end (the store drops what it no
 * longer reaches). Node 1 is {@code _home}: its members are set in place, and without {@code
 * merge} every key of {@code _home} that the document does not set is removed.
 */
final class HomeImport {
  /** The host function the chunk pulls batches from. */
  static final String PULL = "cu_import_next";

  private static final String CHUNK =
      String.join(
          "\n",
          "local json, pull, merge = require('json'), " + PULL + ", _io.input.merge",
          "local stage = 0.5",
          "while _home[stage] ~= nil do stage = stage + 1 end",
          "_home[stage] = {}",
          "local box, nodes, n, top = _home[stage], {_home}, 1, {}",
          "while true do",
          "  local batch = pull()",
          "  if batch == nil then break end",
          "  local begins, sets, refs = batch[1], batch[2], batch[3]",
          "  for i = 1, #begins do",
          "    n = n + 1",
          "    box[n] = begins[i] and json.array({}) or {}",
          "    nodes[n] = box[n]",
          "  end",
          "  for i = 1, #sets, 3 do",
          "    local t, k = sets[i], sets[i + 1]",
          "    nodes[t][k] = sets[i + 2]",
          "    if t == 1 then top[k] = true end",
          "  end",
          "  for i = 1, #refs, 3 do",
          "    local t, k = refs[i], refs[i + 1]",
          "    nodes[t][k] = nodes[refs[i + 2]]",
          "    if t == 1 then top[k] = true end",
          "  end",
          "end",
          "_home[stage] = nil",
          "if not merge then",
          "  local drop = {}",
          "  for k in pairs(_home) do if not top[k] then drop[#drop + 1] = k end end",
          "  for i = 1, #drop do _home[drop[i]] = nil end",
          "end",
          "return n");

  private HomeImport() {}

  /**
   * Imports what {@code reader} reads into {@code _home} of {@code unit}, calling {@code
   * progress} after each batch; replaces {@code _home} unless {@code merge}.
   *
   * @return the number of tables written, {@code _home} included
   */
  static long run(ComputeUnit unit, ImportReader reader, boolean merge, Runnable progress) {
    unit.register(
        PULL,
        args -> {
          Object batch;
          try {
            batch = reader.next();
          } catch (CliException e) {
            throw e;
          } catch (RuntimeException e) {
            // Lua would only say "host function failed": keep the reason for the message
            throw new CliException(ErrorKind.RUNTIME, "cannot import: " + e, e);
          }
          progress.run();
          return batch;
        });
    unit.setInput(Map.of("merge", merge));
    Object n = unit.execute("import", CHUNK).value();
    return n instanceof Long l ? l : 0L;
  }
}
