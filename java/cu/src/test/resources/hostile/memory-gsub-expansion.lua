-- expect: LuaMemoryException: not enough memory
local s = string.rep('a', 1e6)
s = s:gsub('a', string.rep('a', 24))
return #s
