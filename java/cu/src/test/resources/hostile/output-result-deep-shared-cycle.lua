-- expect: LuaRuntimeException: cannot convert a table that contains itself (cycle)
local a, b = {}, {}
a.b = b
b.a = a
return a
