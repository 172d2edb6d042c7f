-- expect: value called
local f = function() return 'called' end
for i = 1, 10 do f = setmetatable({}, {__call = f}) end
return f()
