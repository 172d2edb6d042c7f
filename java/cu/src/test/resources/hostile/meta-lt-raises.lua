-- expect: LuaRuntimeException: no order
local mt = {__lt = function() error('no order', 0) end}
return setmetatable({}, mt) < setmetatable({}, mt)
