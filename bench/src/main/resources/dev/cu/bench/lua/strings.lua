-- A 100,000-piece string build joined with table.concat; returns its length.
local t = {}
for i = 1, 100000 do t[#t + 1] = tostring(i) .. "," end
return #table.concat(t)
