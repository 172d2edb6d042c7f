-- expect: LuaMemoryException: not enough memory
error(string.rep('e', 1e7))
