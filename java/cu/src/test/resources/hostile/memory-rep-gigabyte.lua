-- expect: LuaMemoryException: not enough memory
local s = string.rep('x', 1 << 30)
return #s
