-- expect: LuaMemoryException: not enough memory
local f = load(string.rep('x = 1 ', 5e6))
return f ~= nil
