-- expect: LuaRuntimeException: compute:2: attempt to perform bitwise operation on a table value
return ~setmetatable({}, {})
