-- expect: LuaRuntimeException: compute:2: bad argument #2 to 'format' (number has no integer representation)
return string.format('%d', 1.5)
