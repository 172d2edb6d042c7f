-- expect: LuaRuntimeException: read only
local t = setmetatable({}, {__newindex = function() error('read only', 0) end})
t.x = 1
