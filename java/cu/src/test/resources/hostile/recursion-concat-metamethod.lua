-- expect: LuaRuntimeException: C stack overflow
local mt = {}
mt.__concat = function(a, b) return setmetatable({}, mt) .. b end
return setmetatable({}, mt) .. 'x'
