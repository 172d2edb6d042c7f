-- Differential cases: the table library, length, select, table constructors.

-- case: insert and remove
local t = {}
table.insert(t, "a")
table.insert(t, 1, "b")
table.insert(t, #t + 1, "c")
print(table.concat(t, ","), #t)
print(table.remove(t), table.remove(t, 1), table.concat(t, ","))
print(table.remove({}), table.remove({}, 0), #t)

-- case: insert and remove errors
print(pcall(table.insert, {}, 5, 1))
print(pcall(table.insert, {}, 0, 1))
print(pcall(table.insert, {}))
print(pcall(table.insert, {}, 1, 2, 3))
print(pcall(table.remove, {1, 2}, 5))
print(pcall(table.insert, nil, 1))

-- case: insert error uncaught
table.insert({}, 1, 2, 3)

-- case: concat
print(table.concat({1, 2, 3}))
print(table.concat({1, 2, 3}, ", ", 2))
print(table.concat({1, 2, 3}, ", ", 2, 1))
print(table.concat({"a", 1.5, 2}, "-"))
print(pcall(table.concat, {1, {}, 3}))
print(pcall(table.concat, {1, 2}, ",", 1, 3))

-- case: unpack and pack
print(table.unpack({1, 2, 3}))
print(table.unpack({1, 2, 3}, 2))
print(table.unpack({1, 2, 3}, 2, 5))
print(select("#", table.unpack({}, 1, 0)))
local p = table.pack(1, nil, 3, nil)
print(p.n, p[1], p[2], p[3], p[4])
print(pcall(table.unpack, {}, 1, 1e8))
print(pcall(table.unpack, {}, math.mininteger, math.maxinteger))

-- case: sort
local t = {5, 2, 8, 1, 9, 3}
table.sort(t)
print(table.concat(t, " "))
table.sort(t, function(a, b) return a > b end)
print(table.concat(t, " "))
local s = {"banana", "apple", "Cherry"}
table.sort(s)
print(table.concat(s, " "))

-- case: sort errors
print(pcall(table.sort, {1, "x", 2}))
print(pcall(table.sort, {3, 2, 1}, function(a, b) return true end))
print(pcall(table.sort, {1, 2}, 1))
print(pcall(table.sort, 1))

-- case: sort with an erroring comparator
print(pcall(table.sort, {3, 1, 2}, function(a, b) error("cmp failed") end))

-- case: move
local t = {1, 2, 3, 4, 5}
table.move(t, 2, 4, 1)
print(table.concat(t, ","))
local d = table.move({1, 2, 3}, 1, 3, 2, {})
print(d[1], d[2], d[3], d[4])
print(pcall(table.move, {}, 1, math.maxinteger, 2))
print(pcall(table.move, {}, -1, math.maxinteger, 2))

-- case: length border
local t = {1, 2, 3, nil}
print(#t)
local u = {}
u[1] = 1 u[2] = 2 u[4] = 4
print(#u == 2 or #u == 4)
print(#{n = 1}, #"", #{nil})

-- case: select
print(select("#"), select("#", nil, nil))
print(select(2, "a", "b", "c"))
print(select(-1, "a", "b", "c"))
print(pcall(select, -4, "a", "b", "c"))
print(pcall(select, "x"))

-- case: select uncaught
select(0, 1)

-- case: table constructors
local t = {1, 2, [10] = 10, x = "x", [1.0 + 2] = "three", "second?"}
print(t[1], t[2], t[3], t[10], t.x)
local function three() return 1, 2, 3 end
print(#{three()}, #{three(), three()}, #{(three())})

-- case: integer and float keys
local t = {}
t[1.0] = "float one"
t[2] = "two"
print(t[1], t[2.0], math.type(next(t)))
t[2^53] = "big"
print(t[2^53])

-- case: nan and nil keys
local t = {}
print(pcall(function() t[0/0] = 1 end))
print(t[0/0], t[nil])

-- case: ipairs stops at nil
local n = 0
for i, v in ipairs({1, 2, nil, 4}) do n = i end
print(n)

-- case: pairs order of array part
local t = {"a", "b", "c"}
for i, v in pairs(t) do print(i, v) end

-- case: modifying while traversing
local t = {a = 1, b = 2, c = 3}
for k in pairs(t) do t[k] = nil end
print(next(t))

-- case: table functions honour metamethods
local log = {}
local t = setmetatable({}, {__len = function() return 3 end,
  __index = function(_, i) return "v" .. i end,
  __newindex = function(t, k, v) log[#log + 1] = k .. "=" .. tostring(v) rawset(t, k, v) end})
print(table.concat(t, ","))
print(table.unpack(t))
table.insert(t, "new")
print(table.concat(log, " "))

-- case: table library argument names
print(pcall(table.concat, 1))
print(pcall(table.unpack))
print(pcall(table.pack))
print(pcall(table.remove))
print(pcall(table.move, {}, 1))

-- case: large table and length
local t = {}
for i = 1, 10000 do t[i] = i end
print(#t, t[#t])
for i = 1, 5000 do t[i] = nil end
print(t[10000])

-- case: table.concat with numbers
print(table.concat({1, 2.5, -0.0, 1e100, math.maxinteger}, " "))
