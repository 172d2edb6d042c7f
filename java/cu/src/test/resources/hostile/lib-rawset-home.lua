-- expect: LuaRuntimeException: compute:2: rawset is not allowed on external tables
rawset(_home, 'x', 1)
