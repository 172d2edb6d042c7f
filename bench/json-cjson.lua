-- The json workloads of JsonBenchmark under lua-cjson, for comparison:
--
--   lua5.4 bench/json-cjson.lua        (Debian: apt-get install lua5.4 lua-cjson)
--
-- bench/run times the 10 KB document's workloads the same way under JMH's method
-- (dev.cu.bench.CjsonAnchor); this script is the quick look at all of them.
--
-- Same data (bench/src/main/resources/dev/cu/bench/json/data.lua), same ops: one
-- cjson.encode or cjson.decode of the whole value. Each workload runs for 2 s of warm-up,
-- then 5 rounds of at least 1 s each; prints the median round's microseconds per op (processor
-- time, os.clock) and the encoded size. Standalone Lua has no JMH: the figures compare the
-- libraries, not the harnesses, to within the noise of a round.
local cjson = require("cjson")

local dir = (arg and arg[0] or ""):match("^(.*)/[^/]*$") or "."
local data = dofile(dir .. "/src/main/resources/dev/cu/bench/json/data.lua")

local object_text = cjson.encode(data.object)
local records_text = cjson.encode(data.records)
local document_text = cjson.encode(data.document)

local workloads = {
  {"encodeObject1k", function () return cjson.encode(data.object) end, #object_text},
  {"decodeObject1k", function () return cjson.decode(object_text) end, #object_text},
  {"encodeDoc10k", function () return cjson.encode(data.document) end, #document_text},
  {"decodeDoc10k", function () return cjson.decode(document_text) end, #document_text},
  {"encodeRecords100k", function () return cjson.encode(data.records) end, #records_text},
  {"decodeRecords100k", function () return cjson.decode(records_text) end, #records_text},
}

-- Microseconds per op over at least 'seconds' of processor time.
local function round (f, seconds)
  local n, start = 0, os.clock()
  local elapsed
  repeat
    for _ = 1, 10 do f() end
    n = n + 10
    elapsed = os.clock() - start
  until elapsed >= seconds
  return elapsed * 1e6 / n
end

print(string.format("lua-cjson %s on %s", cjson._VERSION, _VERSION))
for _, w in ipairs(workloads) do
  local name, f, size = w[1], w[2], w[3]
  round(f, 2)
  local rounds = {}
  for r = 1, 5 do rounds[r] = round(f, 1) end
  table.sort(rounds)
  print(string.format("%-20s %10.2f us/op  (%d bytes; rounds %.2f .. %.2f)", name, rounds[3], size,
                      rounds[1], rounds[5]))
end
