-- expect: LuaMemoryException: not enough memory
return #string.format('%s%s', string.rep('x', 1e7), string.rep('y', 1e7))
