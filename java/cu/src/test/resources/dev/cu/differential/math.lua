-- Differential cases: the math library, integer/float arithmetic and conversions.
-- math.random's values differ by seed (each unit seeds itself), so only their ranges and
-- errors are printed.

-- case: basic functions
print(math.abs(-3), math.abs(-3.5), math.abs(math.mininteger))
print(math.ceil(1.2), math.floor(-1.2), math.ceil(-0.5), math.floor(3))
print(math.max(1, 5, 3), math.min(2, -1.5), math.max(1.0, 1))
print(math.sqrt(16), math.exp(0), math.log(1), math.log(8, 2), math.log(100, 10))
print(math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3), math.fmod(7.5, 2))
print(math.modf(3.7), math.modf(-3.7), math.modf(5), math.modf(1/0))

-- case: trigonometry
print(math.sin(0), math.cos(0), math.tan(0))
print(math.asin(1) * 2 == math.pi, math.atan(1, 1) * 4 == math.pi, math.atan(1))
print(string.format("%.6f", math.acos(0)))

-- case: integer conversions
print(math.tointeger(3.0), math.tointeger(3.5), math.tointeger("8"), math.tointeger(2^63))
print(math.type(1), math.type(1.0), math.type("1"), math.type(nil))
print(math.ult(1, -1), math.ult(-1, 1))
print(pcall(math.type))

-- case: integer limits and wraparound
print(math.maxinteger, math.mininteger, math.maxinteger + 1 == math.mininteger)
print(math.mininteger // -1, math.mininteger % -1)
print(math.maxinteger * 2, -math.mininteger)
print(math.maxinteger + 0.0, math.mininteger + 0.0)

-- case: float formatting
print(1e15, 1e16, 123456789012345678)
print(0.1, -0.0, 1/3, 100 / 2, 3 / 2, 2^53, 2^63)
print(1e308 * 10, -1e308 * 10, math.huge // 1)
print(0/0 ~= 0/0, 3 % -2, -3 % 2, 3.0 % -2, -3 % 2.0, 5.3 % 2)

-- case: integer division and modulo
print(7 // 2, -7 // 2, 7 // -2, 7.0 // 2, -7 // 2.0)
print(7 % 3, -7 % 3, 7 % -3, -7 % -3)
print(pcall(function() return 1 // 0 end))
print(pcall(function() return math.mininteger % 0 end))
print(1 // 0.0, 0.0 / 0.0 ~= 0.0 / 0.0, -1 % 0.0 ~= -1 % 0.0)

-- case: bitwise operators
print(5 & 3, 5 | 3, 5 ~ 3, ~5, 1 << 63, 1 << 64, -1 >> 1, 1 >> -1)
print(2.0 & 3, "3" | 0)
print(pcall(function() return 2.5 & 1 end))
print(pcall(function() return "2.5" | 1 end))
print(pcall(function() return "abc" | 1 end))

-- case: comparisons of mixed numbers
print(1 == 1.0, math.maxinteger < math.huge, math.maxinteger + 0.0 == 2^63, 2^53 == 2^53 + 1)
print(math.maxinteger < 2^63, math.mininteger <= -2^63, 1 < 1.5, -0.0 == 0)

-- case: power and exponentiation
print(2^10, 2^-1, (-8)^(1/3) ~= (-8)^(1/3), 0^0, math.huge^0)

-- case: number parsing in source
print(0x10, 0xA.8p1, 1e2, .5, 3., 0x.1, 9007199254740993)
print(0xffffffffffffffff, 0x7fffffffffffffff + 1)

-- case: random ranges and errors
math.randomseed(7)
local ok = true
for i = 1, 100 do
  local r = math.random(1, 6)
  if r < 1 or r > 6 or math.type(r) ~= "integer" then ok = false end
  local f = math.random()
  if f < 0 or f >= 1 then ok = false end
end
print(ok)
print(pcall(math.random, 2, 1))
print(pcall(math.random, 1, 2, 3))
print(math.random(3, 3), math.random(0) ~= nil)

-- case: randomseed gives reproducible sequences
math.randomseed(42)
local a = {math.random(1000), math.random(1000), math.random()}
math.randomseed(42)
local b = {math.random(1000), math.random(1000), math.random()}
print(a[1] == b[1], a[2] == b[2], a[3] == b[3])
print(math.random(1000) == math.random(1000) or true)

-- case: randomseed values are the same as the standalone's
math.randomseed(123)
print(math.random(1, 1000000), math.random(1, 1000000))
math.randomseed(1, 2)
print(math.random(0))

-- case: math argument errors
print(pcall(math.floor))
print(pcall(math.max))
print(pcall(math.abs, "x"))
print(pcall(math.fmod, 1, 0))
print(pcall(math.fmod, 1.0, 0), math.fmod(1, 0.0) ~= math.fmod(1, 0.0))
print(pcall(math.tointeger))

-- case: math argument error uncaught
math.floor({})

-- case: string to number in math
print(math.floor("3.7"), math.max("10", 2), math.abs("-2"))

-- case: tostring of integers and floats stays distinct
print(3, 3.0, -0.0, 1e100, 2^31, 10 // 3, 10 / 2)
print(string.format("%.17g", 0.1), 0.1 + 0.2 == 0.3)

-- case: numeric for loops
for i = 1, 3 do print(i) end
for i = 3, 1, -1 do print(i) end
for i = 1, 2, 0.5 do print(i) end
for i = math.maxinteger - 1, math.maxinteger do print(i) end
for i = 1, 0 do print("never") end

-- case: float loop accumulation
local s = 0
for i = 0.1, 1, 0.1 do s = s + 1 end
print(s)
