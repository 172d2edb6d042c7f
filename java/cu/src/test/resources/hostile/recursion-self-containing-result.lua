-- expect: LuaRuntimeException: cannot convert a table that contains itself (cycle)
local t = {}
t[1] = t
return t
