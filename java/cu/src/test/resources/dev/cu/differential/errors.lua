-- Differential cases: errors raised in every position (Lua code, library functions called
-- directly and through pcall, metamethods, message handlers) and the messages they carry.

-- case: error with a string at level 1
print(pcall(error, "msg"))
print(pcall(function() error("msg") end))

-- case: error levels
local function f(l) error("lvl", l) end
local function g(l) f(l) end
print(pcall(g, 1))
print(pcall(g, 2))
print(pcall(g, 3))
print(pcall(g, 0))

-- case: error with non-string values
print(pcall(error, 42))
print(pcall(error, nil))
print(pcall(error))
print(pcall(error, true))
local t = {}
local ok, e = pcall(error, t)
print(ok, e == t)

-- case: uncaught error ends the script
print("before")
error("the end")
print("never")

-- case: uncaught error with level 2
local function f() error("from f", 2) end
f()

-- case: uncaught error with a table
error({})

-- case: uncaught error with a table with __tostring
error(setmetatable({}, {__tostring = function() return "custom message" end}))

-- case: uncaught error with nil
error(nil)

-- case: uncaught error with a number
error(3.5)

-- case: runtime errors in arithmetic
print(pcall(function() return 1 + nil end))
print(pcall(function() local t = {} return t.x.y end))
print(pcall(function() local s = "a" return s + 1 end))
print(pcall(function() return {} .. "x" end))
print(pcall(function() return #nil end))
print(pcall(function() return -{} end))
print(pcall(function() local a = "x" return a < 1 end))
print(pcall(function() return {} < {} end))

-- case: integer errors
print(pcall(function() return 1 // 0 end))
print(pcall(function() return 1 % 0 end))
print(pcall(function() return 1.5 | 0 end))
print(pcall(function() return "1.5" | 0 end))
print(pcall(function() return math.huge | 0 end))
print(1 // 0.0, -1 // 0.0, 1 % math.huge)

-- case: calling non-functions
print(pcall(function() local x x() end))
print(pcall(function() undefinedglobal() end))
print(pcall(function() local t = {} t.method() end))
print(pcall(function() local t = {} t:method() end))
print(pcall(function() ("x")() end))

-- case: indexing errors name the variable
local up = nil
print(pcall(function() return up.field end))
print(pcall(function() return someglobal.field end))
print(pcall(function() local t = {a = {}} return t.a.b.c end))
print(pcall(function() local t = {} t[nil] = 1 end))
print(pcall(function() local t = {} t[0/0] = 1 end))

-- case: for loop errors
print(pcall(function() for i = 1, "x" do end end))
print(pcall(function() for i = 1, 10, 0 do end end))
print(pcall(function() for i = nil, 2 do end end))
print(pcall(function() for i = 1.5, {} do end end))

-- case: library argument errors through pcall
print(pcall(string.rep))
print(pcall(string.sub, "x", "y"))
print(pcall(table.concat, {{}}))
print(pcall(table.insert, {}, 1, 2, 3))
print(pcall(math.floor, "a"))
print(pcall(setmetatable, 1, {}))
print(pcall(getmetatable))
print(pcall(ipairs))
print(pcall(select, 0))
print(pcall(tonumber, "10", 99))
print(pcall(rawlen, 5))
print(pcall(rawget, 1, 2))
print(pcall(rawset, {}, nil, 1))
print(pcall(next, {}, "nokey"))
print(pcall(load))
print(pcall(collectgarbage, 1))

-- case: library argument errors called directly
local ok, e = pcall(function() string.rep() end)
print(e)
ok, e = pcall(function() local s = string.sub s() end)
print(e)
ok, e = pcall(function() ("x"):rep({}) end)
print(e)
ok, e = pcall(function() setmetatable(1, {}) end)
print(e)
ok, e = pcall(function() setmetatable({}, 1) end)
print(e)
ok, e = pcall(function() next({}, "nokey") end)
print(e)
ok, e = pcall(function() rawget(1) end)
print(e)
ok, e = pcall(function() rawset({}) end)
print(e)
ok, e = pcall(function() rawlen(true) end)
print(e)
ok, e = pcall(function() load(nil) end)
print(e)
ok, e = pcall(function() collectgarbage({}) end)
print(e)
ok, e = pcall(function() xpcall() end)
print(e)
ok, e = pcall(function() pairs() end)
print(e)

-- case: replaced functions name themselves when called directly
setmetatable(1, {})

-- case: next with a bad key, uncaught
next({}, 1)

-- case: rawlen uncaught
rawlen(nil)

-- case: rawget uncaught
rawget("x", 1)

-- case: rawset uncaught
rawset({}, nil, 1)

-- case: load with a bad chunk argument uncaught
load(42)

-- case: xpcall without a handler uncaught
xpcall(print)

-- case: collectgarbage with a bad option uncaught
collectgarbage("nope")

-- case: print with a failing __tostring
print(pcall(print, setmetatable({}, {__tostring = function() error("ts failed") end})))
print(pcall(print, setmetatable({}, {__tostring = function() return 1 end})))

-- case: print with __tostring returning a non-string, uncaught
print(setmetatable({}, {__tostring = function() return {} end}))

-- case: print with __name
print((tostring(setmetatable({}, {__name = "MyType"})):gsub("0x%x+", "ADDR")))
print(pcall(string.rep, setmetatable({}, {__name = "MyType"})))

-- case: error in a method call names the method
local obj = {}
function obj:m(x) return x:nothing() end
print(pcall(obj.m, obj, 1))
print(pcall(function() return obj:m("s") end))

-- case: assert
print(pcall(assert, false))
print(pcall(assert, nil, "custom"))
print(pcall(assert, false, {1}))
print(pcall(assert, 1, 2, 3))
print(pcall(assert))

-- case: assert uncaught
assert(1 == 2, "one is not two")

-- case: assert uncaught without a message
assert(false)

-- case: xpcall with handlers
print(xpcall(function() error("e1") end, function(m) return "h: " .. m end))
print(xpcall(function() return 1, 2 end, print))
print(xpcall(function(...) return select("#", ...) end, print, 1, 2, 3))
print(xpcall(error, function(m) return m end, "direct"))

-- case: xpcall handler receives non-strings
print(xpcall(function() error({}) end, function(m) return type(m) end))
print(xpcall(function() error() end, function(m) return tostring(m) end))

-- case: xpcall handler that errors
print(xpcall(function() error("a") end, function(m) error("b") end))

-- case: xpcall with a C function as handler
print(xpcall(function() error("x") end, tostring))
print(xpcall(function() error("x") end, type))
print(xpcall(function() error() end, select, "#"))

-- case: xpcall with a non-function handler
print(pcall(xpcall, function() end, 1))
print(xpcall(function() return "fine" end, setmetatable({}, {__call = function() end})))

-- case: xpcall handler with error as handler
print(xpcall(function() error("x") end, error))

-- case: pcall of non-callables
print(pcall(1))
print(pcall())
print(pcall(nil))
print(pcall(setmetatable({}, {__call = function(self, a) return "called", a end}), 5))

-- case: nested pcall and error rethrow
local ok, e = pcall(function()
  local ok2, e2 = pcall(error, "inner")
  error("outer after " .. e2, 0)
end)
print(ok, e)

-- case: error objects survive
local mt = {__tostring = function(s) return "E(" .. s.v .. ")" end}
local ok, e = pcall(error, setmetatable({v = 1}, mt))
print(ok, tostring(e), getmetatable(e) == mt)

-- case: tostring of errors in string library
print(pcall(string.format, "%d", 1.5))
print(pcall(string.format, "%d", "x"))
print(pcall(string.format, "%q", {}))
print(pcall(string.format, "%y", 1))
print(pcall(string.format, "%", 1))
print(pcall(string.format, "%10.123f", 1))

-- case: stack overflow
local function r() return 1 + r() end
local ok, e = pcall(r)
print(ok, e)

-- case: deep pcall nesting is legal
local function nest(n)
  if n == 0 then return "bottom" end
  local ok, v = pcall(nest, n - 1)
  return v
end
print(nest(150))

-- case: deep xpcall nesting is legal
local function nest(n)
  if n == 0 then return "bottom" end
  local ok, v = xpcall(nest, print, n - 1)
  return v
end
print(nest(150))

-- case: deep load nesting is legal
local function nest(n)
  if n == 0 then return "bottom" end
  return load("return ...")(nest(n - 1))
end
print(nest(150))

-- case: deep setmetatable and next calls via pcall
local function nest(n)
  if n == 0 then return "bottom" end
  local ok, v = pcall(nest, n - 1)
  setmetatable({}, {})
  next({})
  return v
end
print(nest(180))

-- case: C stack overflow message
local function nest(n)
  local ok, v = pcall(nest, n + 1)
  if not ok then return v end
  return v
end
print(nest(1))

-- case: error in __index metamethod
local t = setmetatable({}, {__index = function(t, k) error("no field " .. k) end})
print(pcall(function() return t.abc end))

-- case: error in __newindex and __call
local t = setmetatable({}, {__newindex = function() error("read only", 2) end,
  __call = function(self, x) error("call " .. x) end})
print(pcall(function() t.x = 1 end))
print(pcall(t, "arg"))

-- case: error in __eq, __lt, __le, __concat, __len
local mt = {}
for _, ev in ipairs({"__eq", "__lt", "__le", "__concat", "__len", "__unm", "__add"}) do
  mt[ev] = function() error(ev .. " failed") end
end
local a, b = setmetatable({}, mt), setmetatable({}, mt)
print(pcall(function() return a == b end))
print(pcall(function() return a < b end))
print(pcall(function() return a <= b end))
print(pcall(function() return a .. b end))
print(pcall(function() return #a end))
print(pcall(function() return -a end))
print(pcall(function() return a + 1 end))

-- case: syntax error in load
print(load("x ="))
print(load("return 1 +", "=named"))
print(load("return 1 +", "@file.lua"))
print(load("x = = 2", "plain"))
print(load(""))

-- case: syntax error ends the chunk
local x = = 1

-- case: syntax error unfinished string
print("abc

-- case: goto errors
print(load("goto nowhere"))
print(load("do local x ::l1:: ::l1:: end"))
print(load("local x <const> = 1; x = 2"))
print(load("local x <foo> = 1"))

-- case: xpcall handler sees the function that failed as its caller
print(xpcall(function() local x = nil return x.y end,
  function(m) return select(2, pcall(error, 'where', 3)) end))

-- case: xpcall handlers nested deeply
local depth = 0
local function nest(n)
  depth = depth + 1
  if n == 0 then local x = nil return x.y end
  return xpcall(nest, function(m) return 'h' .. n .. ' ' .. tostring(m) end, n - 1)
end
print(nest(150))
print(depth)

-- case: xpcall handler that fails runs again until Lua gives up
local calls = 0
print(xpcall(error, function(m) calls = calls + 1 error(m) end, 'x'))
print(calls > 0)
