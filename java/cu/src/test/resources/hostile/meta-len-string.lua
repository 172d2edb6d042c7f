-- expect: value x
return #setmetatable({}, {__len = function() return 'x' end})
