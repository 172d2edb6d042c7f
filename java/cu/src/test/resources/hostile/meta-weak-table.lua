-- expect: value true
local t = setmetatable({}, {__mode = 'k'})
for i = 1, 100 do t[{}] = i end
collectgarbage()
return next(t) == nil
