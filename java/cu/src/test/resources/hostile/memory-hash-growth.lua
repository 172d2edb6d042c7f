-- expect: LuaMemoryException: not enough memory
local t, i = {}, 0
while true do i = i + 1 t[i + 0.5] = true end
