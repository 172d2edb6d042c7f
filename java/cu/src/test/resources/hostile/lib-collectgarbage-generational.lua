-- expect: LuaRuntimeException: compute:2: collectgarbage option 'generational' is not allowed
collectgarbage('generational')
