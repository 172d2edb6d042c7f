-- expect: LuaRuntimeException: compute:4: '__newindex' chain too long; possible loop
local t = setmetatable({}, {})
getmetatable(t).__newindex = t
t.x = 1
