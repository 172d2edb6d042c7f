-- expect: LuaRuntimeException: attempt to yield from outside a coroutine
coroutine.yield(1)
