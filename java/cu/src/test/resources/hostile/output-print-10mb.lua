-- expect: LuaMemoryException: not enough memory
print(string.rep('x', 1e7))
return 'done'
