-- expect: LuaRuntimeException: compute:4: '__index' chain too long; possible loop
local t = setmetatable({}, {})
getmetatable(t).__index = t
return t.x
