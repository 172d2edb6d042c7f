-- expect: LuaMemoryException: not enough memory
local t = {}
for i = 1, 1e6 do t[i] = i end
return select('#', table.unpack(t))
