-- expect: value null
local t = setmetatable({}, {__index = function() return 'meta' end})
return rawget(t, 'x')
