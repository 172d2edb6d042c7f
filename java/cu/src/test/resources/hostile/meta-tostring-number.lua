-- expect: value 1
return tostring(setmetatable({}, {__tostring = function() return 1 end}))
