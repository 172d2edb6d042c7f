-- expect: value false
local mt = {__lt = function() return true end}
return setmetatable({}, mt) <= setmetatable({}, mt)
