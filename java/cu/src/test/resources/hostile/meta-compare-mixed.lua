-- expect: LuaRuntimeException: compute:2: attempt to compare table with number
return {} < 1
