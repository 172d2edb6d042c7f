-- expect: LuaMemoryException: not enough memory
local t = {}
for i = 1, 1e5 do t[i] = 'a' end
return #table.concat(t, string.rep('-', 1000))
