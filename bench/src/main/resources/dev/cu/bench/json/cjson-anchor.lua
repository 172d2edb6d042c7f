-- The factory of the lua-cjson anchor (dev.cu.bench.CjsonAnchor), run by the native anchor's
-- driver: called once with the operation ("encode" or "decode") and the path of data.lua, it
-- returns the function one op of which is one cjson.encode of the 10 KB document or one
-- cjson.decode of its text, as JsonBenchmark.cu_encodeDoc10k / cu_decodeDoc10k do in cu.
local op, data_path = ...
local cjson = require("cjson")
local document = dofile(data_path).document
local text = cjson.encode(document)
if op == "encode" then
  return function () return cjson.encode(document) end
elseif op == "decode" then
  return function () return cjson.decode(text) end
end
error("unknown operation " .. tostring(op))
