-- expect: LuaRuntimeException: compute:2: external tables take string, number and boolean keys, not table
_home[{}] = 1
