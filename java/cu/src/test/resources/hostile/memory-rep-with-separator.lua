-- expect: LuaRuntimeException: compute:2: resulting string too large
return #string.rep('x', 1e6, string.rep(',', 1e6))
