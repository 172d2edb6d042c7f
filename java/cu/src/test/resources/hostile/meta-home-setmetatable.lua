-- expect: LuaRuntimeException: cannot change a protected metatable
setmetatable(_home, {})
