-- expect: LuaRuntimeException: compute:3: C stack overflow
local mt = {}
mt.__eq = function(a, b) return a == b end
return setmetatable({}, mt) == setmetatable({}, mt)
