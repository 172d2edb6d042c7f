-- expect: LuaRuntimeException: compute:2: too many captures
return string.find(string.rep('a', 40), string.rep('(a)', 40))
