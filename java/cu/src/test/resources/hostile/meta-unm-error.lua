-- expect: LuaRuntimeException: compute:2: attempt to perform arithmetic on a table value
return -setmetatable({}, {})
