-- expect: value true
local mt = {__eq = function() return 'yes' end}
return setmetatable({}, mt) == setmetatable({}, mt)
