-- expect: LuaRuntimeException: compute:2: cannot store a thread in an external table
_home.x = coroutine.create(function() end)
