-- String building: 100,000 pieces made with concatenation and string.format, joined with
-- table.concat, then scanned with string.find. Returns the joined length plus the number of
-- pieces found again ("item<i>;" for i = 1..100000 has 988,895 bytes).
local parts = {}
for i = 1, 100000 do
  if i % 2 == 0 then
    parts[#parts + 1] = "item" .. i .. ";"
  else
    parts[#parts + 1] = string.format("item%d;", i)
  end
end
local s = table.concat(parts)
local found, pos = 0, 1
while true do
  local at = string.find(s, ";", pos, true)
  if at == nil then break end
  found = found + 1
  pos = at + 1
end
return #s + found
