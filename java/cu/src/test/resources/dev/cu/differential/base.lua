-- Differential cases: the base library, with the functions the sandbox replaces (print, load,
-- collectgarbage, setmetatable, xpcall, next, rawget, rawset, rawlen) called in every way.
-- Left out (docs/SANDBOX.md): binary chunks, collectgarbage options other than
-- collect/count/step, the figures collectgarbage("count") gives, and a print whose
-- argument's __tostring fails after earlier arguments (cu writes a line whole or not at all).

-- case: print forms
print()
print(nil)
print(1, nil, 3)
print(true, false, 1.5, -0.0, "s")
print(select("#", print("x")))

-- case: print uses __tostring and __name
print(setmetatable({}, {__tostring = function() return "T!" end}))
local s = tostring(setmetatable({}, {__name = "Point"}))
print(s:match("^Point: ") ~= nil)

-- case: print does not use a global tostring
local real = tostring
tostring = function() return "replaced" end
print(1, "a")
tostring = real

-- case: print of many arguments
print(table.unpack({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}))

-- case: print of long strings
local s = string.rep("x", 10000)
print(#s, s:sub(1, 5))
print(s:sub(1, 100))

-- case: print of embedded newlines
print("line1\nline2", "tab\tbed")
print("ends with newline\n")

-- case: print called through pcall and as a value
print(pcall(print, "via pcall"))
local p = print
p("via local")
local t = {print}
t[1]("via table")

-- case: print with a __tostring that yields
local co = coroutine.wrap(function()
  print(setmetatable({}, {__tostring = function() return "no yield" end}))
  return "ok"
end)
print(co())

-- case: print inside a coroutine and closer
local co = coroutine.wrap(function() print("in co") coroutine.yield() print("after yield") end)
co() co()

-- case: load a string
print(load("return 1 + 1")())
print(load("return ...", "name")(1, 2))
local f = load("x = 5")
f()
print(x)

-- case: load chunk names in errors
print(pcall(load("error('e')", "=custom")))
print(pcall(load("error('e')", "@file.lua")))
print(pcall(load("error('e')", "plain name")))
print(pcall(load("error('e')")))
print(pcall(load("\n\nerror('line3')")))

-- case: load syntax errors return nil and message
print(load("return +", "=c"))
print(load("x = ", "=c"))
local f, e = load("?")
print(f, e)

-- case: load with env
local env = {y = 5}
print(load("return y", "c", "t", env)())
local f = load("z = 1", "c", "t", env)
f()
print(env.z, z)
print(pcall(load("return print", "c", "t", {})))
print(load("return _ENV", "c", "t", nil)())

-- case: load with env nil explicitly
local f = load("return x", "c", "t", nil)
print(pcall(f))

-- case: load with a reader function
local parts = {"return ", "1 ", "+ 41"}
local i = 0
print(load(function() i = i + 1 return parts[i] end)())
local j = 0
print(load(function() j = j + 1 if j == 1 then return "return 'one'" end return "" end)())
print(load(function() return nil end))

-- case: load reader errors
print(load(function() error("reader failed") end))
local once = false
print(load(function() if once then return nil end once = true return 1 end))
print(load(function() return {} end))
local n = 0
print(load(function() n = n + 1 if n == 1 then return "return " end return nil end))

-- case: load argument errors
print(pcall(load, nil))
print(pcall(load, 1))
print(pcall(load, {}))
print(pcall(load, "x=1", {}))
print(pcall(load, "return 1", "c", {}))
print(pcall(load, "return 1", "c", 1))

-- case: load with mode t and bt
print(load("return 'text'", "c", "t")())
print(load("return 'text'", "c", "bt")())
print(load("return 'text'", "c", "tb")())

-- case: load with mode b refuses text
print(load("return 1", "c", "b"))
print(load("return 1", "=c", "x"))
print(load(function() return nil end, "c", "b"))

-- case: load a chunk with many returns and varargs
print(load("return ...")(table.unpack({1, 2, 3, nil, 5}, 1, 5)))
print(select("#", load("return")()))

-- case: load of a chunk with upvalue _ENV
local f = load("local a = ... return function() return a, _ENV ~= nil end")
print(f(7)())

-- case: loaded chunk errors have its name
local f = load("local t = nil\nreturn t.x", "=mychunk")
print(pcall(f))

-- case: collectgarbage allowed options
print(collectgarbage())
print(collectgarbage("collect"))
print(type(collectgarbage("count")), math.type(collectgarbage("count")))
print(type(collectgarbage("step")))
print(type(collectgarbage("step", 0)))
print(select("#", collectgarbage("count")))

-- case: collectgarbage argument errors
print(pcall(collectgarbage, {}))
print(pcall(collectgarbage, 1))
print(pcall(collectgarbage, nil))

-- case: collectgarbage with a bad option name
print(pcall(collectgarbage, "nonsense"))

-- case: tostring and type
print(type(nil), type(1), type("s"), type({}), type(print), type(coroutine.create(print)))
print(pcall(type))
print(tostring(nil), tostring(true), tostring(12), tostring(1.25))
print(tostring(print):match("^builtin") or tostring(print):match("^(%a+)"))
print(pcall(tostring))

-- case: the replaced functions look like builtins
for _, name in ipairs({"print", "load", "collectgarbage", "setmetatable", "xpcall", "next",
  "rawget", "rawset", "rawlen", "pcall", "error", "getmetatable", "type"}) do
  print(name, type(_G[name]), (tostring(_G[name]):gsub("0x%x+", "ADDR")))
end

-- case: coroutine library functions look like builtins
for _, name in ipairs({"resume", "wrap", "create", "yield", "status", "close"}) do
  print(name, (tostring(coroutine[name]):gsub("0x%x+", "ADDR")))
end

-- case: globals and version
print(_VERSION, _G._G == _G, _ENV == _G)
print(type(_G.print), _G.print == print)

-- case: select and varargs
local function f(...) return select("#", ...), ... end
print(f())
print(f(nil))
print(f(1, nil, nil))

-- case: ipairs and pairs results
local f1, t1, i1 = ipairs({})
print(type(f1), i1)
local f2, t2, k2 = pairs({})
print(f2 == next, k2)

-- case: pairs on tables with __pairs returning extra values
local t = setmetatable({}, {__pairs = function() return next, {a = 1}, nil, "extra" end})
print(select("#", pairs(t)))
for k, v in pairs(t) do print(k, v) end

-- case: pairs with __pairs that yields
local co = coroutine.wrap(function()
  local t = setmetatable({}, {__pairs = function(t) coroutine.yield("in __pairs") return next, {x = 1} end})
  for k, v in pairs(t) do print(k, v) end
  return "done"
end)
print(co())
print(co())

-- case: next as a value and in loops
local t = {a = 1}
print(next(t))
print(next(t, "a"))
for k, v in next, t do print(k, v) end

-- case: rawget rawset rawlen through pcall
print(pcall(rawget, {5}, 1))
print(pcall(rawset, {}, "k", "v"))
print(pcall(rawlen, {1, 2}))
print(pcall(rawlen, "abc"))

-- case: xpcall with args and returns
print(xpcall(function(a, b) return a + b end, print, 2, 3))
print(xpcall(function() return end, print))
print(select("#", xpcall(function() return nil, nil end, print)))

-- case: xpcall argument error uncaught
xpcall(function() end)

-- case: xpcall inside coroutine with yield in handler
local co = coroutine.wrap(function()
  return xpcall(function() error("e") end, function(m)
    return "handled " .. m
  end)
end)
print(co())

-- case: tostring of functions called through pcall
print(pcall(setmetatable, {}, {}) == true)
local ok, t = pcall(setmetatable, {}, {__index = {v = 1}})
print(ok, t.v)

-- case: dofile and loadfile are absent but load works
print(load("return 42")())

-- case: getmetatable and setmetatable on strings through pcall
print(pcall(setmetatable, "", {}))
print(getmetatable("abc") == getmetatable(""))

-- case: warn with control messages does nothing visible
warn("@off")
warn("not shown")
print("after warn")

-- case: warn argument errors
print(pcall(warn))
print(pcall(warn, {}))
