-- expect: LuaRuntimeException: compute:2: bad argument #2 to 'pack' (string length does not fit in given size)
return string.pack('s1', string.rep('x', 300))
