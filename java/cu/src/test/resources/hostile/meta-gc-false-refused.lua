-- expect: LuaRuntimeException: compute:2: __gc metamethods are not allowed
setmetatable({}, {__gc = false})
