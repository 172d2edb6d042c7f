-- expect: LuaRuntimeException: compute:2: bad argument #2 to 'unpack' (unfinished string for format 'z')
return string.unpack('z', 'abc')
