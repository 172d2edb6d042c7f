-- expect: LuaMemoryException: not enough memory
for i = 1, 1e6 do print(string.rep('x', 1000)) end
