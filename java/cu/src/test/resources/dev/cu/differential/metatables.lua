-- Differential cases: setmetatable, getmetatable, __metatable protection, every
-- metamethod, pairs with __pairs, and the identity of the functions pairs hands out.

-- case: setmetatable returns its table
local t = {}
print(setmetatable(t, {}) == t)
print(setmetatable(t, nil) == t, getmetatable(t))

-- case: setmetatable argument checks
print(pcall(setmetatable, {}))
print(pcall(setmetatable, {}, 1))
print(pcall(setmetatable, "s", {}))
print(pcall(setmetatable, nil, nil))
print(select("#", setmetatable({}, nil)))

-- case: setmetatable with extra arguments
local t = setmetatable({}, {}, "extra", 4)
print(type(t))

-- case: __metatable protection
local t = setmetatable({}, {__metatable = "locked"})
print(getmetatable(t))
print(pcall(setmetatable, t, {}))
print(pcall(setmetatable, t, nil))

-- case: __metatable protection uncaught
local t = setmetatable({}, {__metatable = false})
print(getmetatable(t))
setmetatable(t, {})

-- case: string metatable
print(getmetatable("").__index == string)
print(("abc"):upper(), ("%d"):format(5))

-- case: __index chain
local base = {a = 1}
local mid = setmetatable({b = 2}, {__index = base})
local top = setmetatable({}, {__index = mid})
print(top.a, top.b, top.c, rawget(top, "a"))

-- case: __index function and __newindex table
local store = {}
local t = setmetatable({}, {__index = function(_, k) return k .. "!" end, __newindex = store})
t.x = 5
print(t.x, store.x, rawget(t, "x"))

-- case: arithmetic metamethods
local mt = {}
local function V(x) return setmetatable({x = x}, mt) end
mt.__add = function(a, b) return V((type(a) == "table" and a.x or a) + (type(b) == "table" and b.x or b)) end
mt.__sub = function(a, b) return "sub" end
mt.__mul = function() return "mul" end
mt.__div = function() return "div" end
mt.__mod = function() return "mod" end
mt.__pow = function() return "pow" end
mt.__unm = function() return "unm" end
mt.__idiv = function() return "idiv" end
mt.__band = function() return "band" end
mt.__bor = function() return "bor" end
mt.__bxor = function() return "bxor" end
mt.__shl = function() return "shl" end
mt.__shr = function() return "shr" end
mt.__bnot = function() return "bnot" end
local a = V(2)
print((a + 3).x, (1 + a).x, a - 1, a * 1, a / 1, a % 1, a ^ 1, -a, a // 1)
print(a & 1, a | 1, a ~ 1, a << 1, a >> 1, ~a)

-- case: comparison metamethods
local mt = {__eq = function(a, b) print("eq") return true end,
            __lt = function(a, b) print("lt") return 1 end,
            __le = function(a, b) print("le") return nil end}
local a, b = setmetatable({}, mt), setmetatable({}, mt)
print(a == b, a ~= b, a < b, a <= b, a > b, a >= b)
print(a == a, rawequal(a, b))

-- case: __concat and __len
local mt = {__concat = function(a, b) return "cat" end, __len = function() return 42 end}
local t = setmetatable({}, mt)
print(t .. "x", "x" .. t, 1 .. t, #t)

-- case: __call with arguments
local t = setmetatable({}, {__call = function(self, ...) return select("#", ...), ... end})
print(t(1, 2, nil))
print(pcall(t))

-- case: __tostring and __name
local t = setmetatable({}, {__tostring = function() return "I am t" end})
print(t, tostring(t))
print(pcall(tostring, setmetatable({}, {__tostring = function() return 1 end})))

-- case: __index on strings via the string metatable
local mt = getmetatable("")
local old = mt.__index
mt.__index = function(s, k) return "idx:" .. k end
print(("x").anything)
mt.__index = old
print(("x"):len())

-- case: pairs uses __pairs
local t = setmetatable({}, {__pairs = function(t) return function(_, k) if not k then return 1, "one" end end, t, nil end})
for k, v in pairs(t) do print(k, v) end

-- case: pairs hands out the global next
local f, s, k = pairs({})
print(f == next, k)
print(select("#", pairs({})))

-- case: ipairs iteration and __index
local t = setmetatable({1, 2}, {__index = function(_, i) if i <= 4 then return i * 10 end end})
for i, v in ipairs(t) do print(i, v) end
local f1 = ipairs({})
local f2 = ipairs({1})
print(f1 == f2)

-- case: pairs argument errors
print(pcall(pairs))
print(pcall(pairs, nil))
print(pcall(ipairs))

-- case: pairs error uncaught
for k in pairs(nil) do end

-- case: next visits all keys
local t = {10, 20, 30, x = 1}
local n = 0
local k, v = next(t)
while k do n = n + 1 k, v = next(t, k) end
print(n, next({}), select("#", next({})))

-- case: next argument checks
print(pcall(next))
print(pcall(next, 1))
print(pcall(next, {}, {}))
print(next({5}, nil))

-- case: rawequal rawlen rawget rawset
local t = setmetatable({}, {__index = function() return "meta" end, __newindex = function() error("no") end, __len = function() return 9 end})
rawset(t, "k", "v")
print(rawget(t, "k"), rawget(t, "z"), t.z, #t, rawlen(t), rawlen("abc"))
print(rawequal(t, t), rawequal(t, {}), rawequal("a", "a"))
print(rawset(t, 1, 2) == t)

-- case: raw functions argument checks
print(pcall(rawequal, 1))
print(pcall(rawlen))
print(pcall(rawget, {}))
print(pcall(rawset, {}, 1))
print(pcall(rawset, 1, 1, 1))

-- case: getmetatable of various values
print(getmetatable(1), getmetatable(nil), getmetatable(print))
print(getmetatable({}))

-- case: __index depth loop
local t = setmetatable({}, {})
getmetatable(t).__index = t
print(pcall(function() return t.x end))

-- case: __newindex chain
local inner = {}
local mid = setmetatable({}, {__newindex = inner})
local top = setmetatable({}, {__newindex = mid})
top.a = 1
print(rawget(top, "a"), rawget(mid, "a"), inner.a)

-- case: __close and __mode and __name are plain fields
local weak = setmetatable({}, {__mode = "k"})
weak[{}] = 1
collectgarbage()
local n = 0 for _ in pairs(weak) do n = n + 1 end
print(n)

-- case: weak values
local cache = setmetatable({}, {__mode = "v"})
cache[1] = {}
cache[2] = "str"
collectgarbage()
collectgarbage()
print(cache[1], cache[2])

-- case: __eq only for same types
local mt = {__eq = function() return true end}
local a = setmetatable({}, mt)
print(a == 1, a == "a", a == setmetatable({}, {__eq = function() return false end}))

-- case: __lt for mixed types errors
local a = setmetatable({}, {})
print(pcall(function() return a < 1 end))
print(pcall(function() return 1 < "2" end))
print(pcall(function() return {} <= {} end))

-- case: __unm, __bnot errors without metamethods
print(pcall(function() return ~{} end))
print(pcall(function() return ~1.5 end))
print(pcall(function() return 1 << {} end))

-- case: setmetatable on a table used as its own metatable
local t = {}
t.__index = t
t.v = "self"
setmetatable(t, t)
print(t.v, t.missing)

-- case: __index with rawget fallback
local proxy = setmetatable({}, {__index = function(t, k) return rawget(t, "_" .. k) end})
rawset(proxy, "_x", "underscored")
print(proxy.x, proxy.y)

-- case: tostring of a table with a __tostring returning a number errors
print(pcall(print, setmetatable({}, {__tostring = function() return 42 end})))
print(pcall(string.format, "%s", setmetatable({}, {__tostring = function() return nil end})))

-- case: setmetatable on a string, uncaught
setmetatable('', {})

-- case: setmetatable on a string inside a function
local function f() return setmetatable('', {}) end
print(pcall(f))
print(pcall(setmetatable, '', {}))

-- case: __call chain of tables ending in a function
local f = function(...) return select('#', ...), ... end
local a = setmetatable({}, {__call = f})
local b = setmetatable({}, {__call = a})
local c = setmetatable({}, {__call = b})
print(c(1, 2))
print(b('x'))
print(pcall(c, nil, 3))
print(select('#', c()))
print(select('#', c(table.unpack({}, 1, 200))))
print(c == select(4, c()), b == select(3, c()), a == select(2, c()))

-- case: __call chain in tail calls, coroutines and library callbacks
local f = function(self, ...) return ... end
local a = setmetatable({}, {__call = f})
local b = setmetatable({}, {__call = a})
local c = setmetatable({}, {__call = b})
local function tail(...) return c(...) end
print(tail(1, 2, 3))
print(coroutine.wrap(c)('w'))
print(string.gsub('abc', '%w', setmetatable({}, {__call = c})))
local t = {3, 1, 2}
table.sort(t, setmetatable({}, {__call = function(_, _, _, x, y) return x < y end}))
print(table.concat(t, ' '))

-- case: __call chain that ends in a value that cannot be called
local a = setmetatable({}, {__call = setmetatable({}, {})})
print(pcall(a))
local b = setmetatable({}, {__call = 5})
print(pcall(b, 1))
a()
