-- expect: LuaRuntimeException: value nested too deeply
local f = function(x) return x end
for i = 1, 10000 do local g = f f = function(x) return g(x) + 1 end end
_home.c = f
