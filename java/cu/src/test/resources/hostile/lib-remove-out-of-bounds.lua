-- expect: LuaRuntimeException: compute:2: bad argument #2 to 'remove' (position out of bounds)
return table.remove({}, 5)
