-- expect: LuaRuntimeException: value nested too deeply (more than 200 levels)
local t = {}
for i = 1, 1000 do t = {t} end
return t
