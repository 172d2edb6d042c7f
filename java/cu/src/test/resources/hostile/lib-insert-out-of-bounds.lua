-- expect: LuaRuntimeException: compute:2: bad argument #2 to 'insert' (position out of bounds)
table.insert({}, 5, 1)
