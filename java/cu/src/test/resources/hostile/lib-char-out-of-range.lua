-- expect: LuaRuntimeException: compute:2: bad argument #1 to 'char' (value out of range)
return string.char(256)
