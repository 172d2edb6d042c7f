-- expect: LuaMemoryException: not enough memory
local t = setmetatable({}, {__index = function(t, k) return string.rep('x', 1e6) .. k end})
local keep = {}
for i = 1, 100 do keep[i] = t[i] end
return #keep
