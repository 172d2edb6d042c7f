-- expect: LuaRuntimeException: compute:3: attempt to index a nil value (field 'x')
local t = setmetatable({}, {__index = function() return nil end})
return t.x.y
