-- expect: LuaRuntimeException: bad argument #1 to '?' (table expected, got string)
setmetatable('', {})
