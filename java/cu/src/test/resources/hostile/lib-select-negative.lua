-- expect: LuaRuntimeException: compute:2: bad argument #1 to 'select' (index out of range)
return select(-1)
