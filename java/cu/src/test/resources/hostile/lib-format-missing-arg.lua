-- expect: LuaRuntimeException: compute:2: bad argument #3 to 'format' (no value)
return string.format('%s %s', 'a')
