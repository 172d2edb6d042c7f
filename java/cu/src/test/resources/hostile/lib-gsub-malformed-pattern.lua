-- expect: LuaRuntimeException: compute:2: malformed pattern (ends with '%')
return ('abc'):gsub('%', 'x')
