-- expect: LuaRuntimeException: invalid key to 'next'
return next({}, 'nokey')
