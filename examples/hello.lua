-- A first cu script: ./cu run examples/hello.lua  (or ./cu run --json examples/hello.lua)
local name = "cu"
print("Hello from " .. _VERSION .. " inside " .. name .. "!")

-- a small table computation: word lengths and their total
local words = {"sandboxed", "lua", "compute", "units"}
local lengths, total = {}, 0
for i, w in ipairs(words) do
  lengths[w] = #w
  total = total + #w
end
print(string.format("%d words, %d letters, %.2f on average", #words, total, total / #words))

-- the last value is printed by cu: tables as JSON
return {words = #words, letters = total, longest = "sandboxed", lengths = lengths}
