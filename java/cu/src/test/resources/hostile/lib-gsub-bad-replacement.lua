-- expect: LuaRuntimeException: compute:2: invalid replacement value (a table)
return ('abc'):gsub('%w', {a = {}})
