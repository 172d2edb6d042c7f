-- expect: LuaMemoryException: not enough memory
local t = {}
for i = 1, 1000 do t[i] = string.rep('x', 1e6) .. i end
return #table.concat(t)
