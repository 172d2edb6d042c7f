-- expect: LuaRuntimeException: compute:2: C stack overflow
local t = setmetatable({}, {__index = function(t, k) return t[k] end})
return t.x
