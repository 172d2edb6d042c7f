-- expect: LuaRuntimeException: compute:2: invalid conversion '%y' to 'format'
return string.format('%y', 1)
