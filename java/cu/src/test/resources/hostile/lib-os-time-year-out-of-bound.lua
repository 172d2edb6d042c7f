-- expect: LuaRuntimeException: compute:2: field 'year' is out-of-bound
return os.time({year = 1e10, month = 1, day = 1})
