-- expect: LuaRuntimeException: compute:2: collectgarbage option 'setpause' is not allowed
collectgarbage('setpause', 1000)
