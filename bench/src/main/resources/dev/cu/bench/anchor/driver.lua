-- Driver of the native interpreter anchor (dev.cu.bench.NativeLuaAnchor).
-- Loads the chunk named by arg[1] once, then for every line "n" read from
-- standard input runs the chunk n times and answers one line:
-- "<cpu seconds> <type of the last result>". The harness measures wall time
-- around each request with the JVM's clock; os.clock (processor time) is
-- reported beside it only as a cross-check. An empty line or end of input
-- ends the driver. With more arguments the chunk is a factory: it is called
-- once with them (untimed) and returns the function to run instead.
local chunk = assert(loadfile(arg[1]))
if #arg > 1 then
  chunk = chunk(table.unpack(arg, 2))
  assert(type(chunk) == "function", "the factory returned no function")
end
local out = io.stdout
for line in io.lines() do
  local n = tonumber(line)
  if not n then break end
  local c0 = os.clock()
  local r
  for _ = 1, n do r = chunk() end
  out:write(string.format("%.9f %s\n", os.clock() - c0, type(r)))
  out:flush()
end
