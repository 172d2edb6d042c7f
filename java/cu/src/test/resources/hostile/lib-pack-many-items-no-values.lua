-- expect: LuaRuntimeException: compute:2: bad argument #2 to 'pack' (number expected, got nil)
return string.pack(string.rep('i8', 1e6))
