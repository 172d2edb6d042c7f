-- expect: LuaRuntimeException: compute:2: bad argument #1 to 'random' (interval is empty)
return math.random(2, 1)
