-- expect: LuaRuntimeException: compute:2: collectgarbage option 'stop' is not allowed
collectgarbage('stop')
