-- Differential cases: coroutines in every state, through resume, wrap, status, close,
-- isyieldable, running and yield. Each "-- case:" line starts a script (DifferentialTest).

-- case: create and resume with arguments and results
local co = coroutine.create(function(a, b)
  local c = coroutine.yield(a + b)
  local d, e = coroutine.yield(c * 2)
  return d + e, "done"
end)
print(coroutine.resume(co, 1, 2))
print(coroutine.resume(co, 10))
print(coroutine.resume(co, 3, 4))
print(coroutine.resume(co))
print(coroutine.status(co))

-- case: status in every state
local main = coroutine.running()
local co
co = coroutine.create(function()
  print("inside", coroutine.status(co), coroutine.status(main))
  local inner = coroutine.create(function() print("outer is", coroutine.status(co)) end)
  coroutine.resume(inner)
  coroutine.yield()
end)
print(coroutine.status(co))
coroutine.resume(co)
print(coroutine.status(co))
coroutine.resume(co)
print(coroutine.status(co))

-- case: resume a dead coroutine
local co = coroutine.create(function() return 1 end)
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.resume(co, 1, 2, 3))

-- case: resume a coroutine dead by error
local co = coroutine.create(function() error("boom") end)
print(coroutine.resume(co))
print(coroutine.status(co))
print(coroutine.resume(co))

-- case: resume a coroutine dead by a table error
local t = {}
local co = coroutine.create(function() error(t) end)
local ok, e = coroutine.resume(co)
print(ok, e == t)
print(coroutine.resume(co))

-- case: resume the running coroutine from main
print(coroutine.resume(coroutine.running()))

-- case: resume the running coroutine from inside
local co = coroutine.create(function()
  print(coroutine.resume(coroutine.running()))
  return "after"
end)
print(coroutine.resume(co))

-- case: resume a normal coroutine
local outer
outer = coroutine.create(function()
  local inner = coroutine.create(function()
    print(coroutine.resume(outer))
    print(coroutine.status(outer))
  end)
  coroutine.resume(inner)
end)
print(coroutine.resume(outer))

-- case: resume argument errors
print(pcall(coroutine.resume))
print(pcall(coroutine.resume, 1))
print(pcall(coroutine.resume, {}))
print(select("#", pcall(coroutine.resume, nil)))

-- case: resume called directly with a bad argument
coroutine.resume(42)

-- case: status argument errors
print(pcall(coroutine.status, "x"))
coroutine.status(nil)

-- case: wrap called again after the end
local f = coroutine.wrap(function() return 1 end)
print(f())
print(pcall(f))
f()

-- case: wrap after an error
local f = coroutine.wrap(function() error("first") end)
print(pcall(f))
print(pcall(f))
print(pcall(f))

-- case: wrap after a table error
local f = coroutine.wrap(function() error({code = 7}) end)
local ok, e = pcall(f)
print(ok, type(e), e.code)
print(pcall(f))

-- case: wrap that calls itself
local f
f = coroutine.wrap(function() return f() end)
print(pcall(f))
print(pcall(f))

-- case: wrap that calls itself, caught inside
local f
f = coroutine.wrap(function()
  local ok, m = pcall(f)
  coroutine.yield(ok, m)
  return "end"
end)
print(f())
print(f())
print(pcall(f))

-- case: wrap that calls itself uncaught
local f
f = coroutine.wrap(function() return f() end)
f()

-- case: wrap argument errors
print(pcall(coroutine.wrap))
print(pcall(coroutine.wrap, 1))
coroutine.wrap("not a function")

-- case: wrap error positions
local f = coroutine.wrap(function()
  coroutine.yield(1)
  error("in the coroutine")
end)
print(f())
print(pcall(f))

-- case: wrap error with level 0 and non-string values
local f = coroutine.wrap(function() error("plain", 0) end)
print(pcall(f))
local g = coroutine.wrap(function() error(42) end)
print(pcall(g))
local h = coroutine.wrap(function() error(nil) end)
print(pcall(h))
local k = coroutine.wrap(function() error(true) end)
print(pcall(k))

-- case: wrap as generator
local function gen(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i, i * i) end
  end)
end
for i, sq in gen(5) do print(i, sq) end

-- case: wrap passes many values both ways
local f = coroutine.wrap(function(...)
  print(select("#", ...), ...)
  local r = table.pack(coroutine.yield(...))
  print(r.n, table.unpack(r, 1, r.n))
  return nil, nil, 3
end)
print(f(1, nil, 3, nil))
print(f(nil, nil))

-- case: yield across pcall
local co = coroutine.create(function()
  local ok, v = pcall(function()
    local x = coroutine.yield("from pcall")
    error("after " .. x)
  end)
  print("pcall gave", ok, v)
  return "finished"
end)
print(coroutine.resume(co))
print(coroutine.resume(co, "resume"))

-- case: yield across xpcall with handler
local co = coroutine.create(function()
  return xpcall(function()
    local v = coroutine.yield(1)
    error(v)
  end, function(m) return "handled: " .. tostring(m) end)
end)
print(coroutine.resume(co))
print(coroutine.resume(co, "oops"))

-- case: yield from main
print(pcall(coroutine.yield, 1))

-- case: yield across a metamethod
local mt = {__index = function(t, k) return coroutine.yield(k) end}
local co = coroutine.wrap(function()
  local t = setmetatable({}, mt)
  return "got " .. t.foo
end)
print(co())
print(co("bar"))

-- case: yield across table.sort comparator
local co = coroutine.create(function()
  local t = {3, 1, 2}
  table.sort(t, function(a, b) coroutine.yield() return a < b end)
end)
print(coroutine.resume(co))

-- case: yield inside a for iterator
local function iter()
  return coroutine.wrap(function()
    for k, v in pairs({a = 1}) do coroutine.yield(k, v) end
  end)
end
for k, v in iter() do print(k, v) end

-- case: isyieldable
print(coroutine.isyieldable())
print(coroutine.wrap(function() return coroutine.isyieldable() end)())
local co = coroutine.create(function() coroutine.yield() end)
coroutine.resume(co)
print(coroutine.isyieldable(co))
print(pcall(coroutine.isyieldable, 1))

-- case: running
local main, ismain = coroutine.running()
print(type(main), ismain)
coroutine.wrap(function()
  local co, m = coroutine.running()
  print(type(co), m, co == main)
end)()

-- case: close a suspended coroutine
local co = coroutine.create(function() coroutine.yield() end)
coroutine.resume(co)
print(coroutine.close(co))
print(coroutine.status(co))
print(coroutine.resume(co))

-- case: close a dead-by-error coroutine
local co = coroutine.create(function() error("x") end)
coroutine.resume(co)
print(coroutine.close(co))
print(coroutine.close(co))

-- case: close the running coroutine
print(pcall(coroutine.close, coroutine.running()))
coroutine.wrap(function()
  print(pcall(coroutine.close, coroutine.running()))
end)()

-- case: close a normal coroutine
local outer
outer = coroutine.create(function()
  coroutine.wrap(function() print(pcall(coroutine.close, outer)) end)()
end)
coroutine.resume(outer)

-- case: resume after close
local co = coroutine.create(function() coroutine.yield(1) end)
coroutine.resume(co)
coroutine.close(co)
print(coroutine.resume(co))
local w = coroutine.wrap(function() coroutine.yield(1) end)
w()

-- case: error inside nested coroutines
local a = coroutine.wrap(function()
  local b = coroutine.wrap(function() error("deep") end)
  b()
end)
print(pcall(a))

-- case: deep nesting of wraps
local function nest(n)
  if n == 0 then return 0 end
  return coroutine.wrap(function() return nest(n - 1) + 1 end)()
end
print(nest(50))
print(pcall(nest, 150))

-- case: C stack overflow in nested resumes
local function nest(n)
  local co = coroutine.create(function() return nest(n + 1) end)
  local ok, v = coroutine.resume(co)
  if not ok then return v end
  return v
end
print(nest(1))

-- case: deep recursion inside a coroutine
local co = coroutine.create(function()
  local function r(n) if n == 0 then return 0 end return 1 + r(n - 1) end
  return r(10000)
end)
print(coroutine.resume(co))

-- case: stack overflow inside a coroutine
local co = coroutine.create(function()
  local function r() return 1 + r() end
  return r()
end)
local ok, e = coroutine.resume(co)
print(ok, e)

-- case: coroutine table contents
local names = {}
for k in pairs(coroutine) do names[#names + 1] = k end
table.sort(names)
print(table.concat(names, " "))

-- case: wrapped functions are functions
local f = coroutine.wrap(function() end)
print(type(f), type(coroutine.create(print)))
print(tostring(f):match("^(%a+):"))

-- case: resume with too many results is fine
local co = coroutine.create(function() return table.unpack({}, 1, 200) end)
print(select("#", coroutine.resume(co)))

-- case: yield many values
local co = coroutine.wrap(function() coroutine.yield(table.unpack({1, 2, 3, 4, 5, 6, 7, 8})) end)
print(co())

-- case: create argument error
print(pcall(coroutine.create, 1))
coroutine.create()

-- case: yield in a close inside a coroutine
local co = coroutine.wrap(function()
  local x <close> = setmetatable({}, {__close = function() coroutine.yield("closing") end})
  return "body"
end)
print(co())
print(co())

-- case: a wrap resumed from a coroutine it resumed
local f, co
f = coroutine.wrap(function()
  co = coroutine.create(function() return pcall(f) end)
  print(coroutine.resume(co))
  return "f done"
end)
print(f())
print(pcall(f))

-- case: resume the main thread from a coroutine
local main = coroutine.running()
print(coroutine.wrap(function() return coroutine.resume(main) end)())
print(coroutine.wrap(function() return pcall(coroutine.close, main) end)())

-- case: many wraps of the same function
local function body(x) coroutine.yield(x) return x * 2 end
local ws = {}
for i = 1, 100 do ws[i] = coroutine.wrap(body) end
local s = 0
for i = 1, 100 do s = s + ws[i](i) end
for i = 1, 100 do s = s + ws[i]() end
print(s)
for i = 1, 3 do print(pcall(ws[i])) end

-- case: resume passes arguments to a dead coroutine and drops them
local co = coroutine.create(function() end)
coroutine.resume(co)
print(coroutine.resume(co, table.unpack({}, 1, 100)))
print(select("#", coroutine.resume(co, 1, 2, 3)))

-- case: yield across a wrap boundary to the outer resume
local co = coroutine.create(function()
  local f = coroutine.wrap(function() coroutine.yield("inner") return "inner done" end)
  print(f())
  coroutine.yield("outer")
  print(f())
  print(pcall(f))
end)
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.status(co))
