-- expect: LuaRuntimeException: compute:2: cannot change a protected metatable
setmetatable(_home, {})
