-- expect: value cannot change a protected metatable
local t = setmetatable({}, {__metatable = 'locked'})
return select(2, pcall(setmetatable, t, {}))
