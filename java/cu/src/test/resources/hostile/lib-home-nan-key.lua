-- expect: LuaRuntimeException: compute:2: index is NaN
_home[0/0] = 1
