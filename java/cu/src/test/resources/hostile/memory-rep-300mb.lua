-- expect: LuaMemoryException: not enough memory
return #string.rep('abc', 1e8)
