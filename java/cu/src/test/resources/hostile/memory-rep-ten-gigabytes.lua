-- expect: LuaRuntimeException: compute:2: resulting string too large
return #('x'):rep(1e10)
