-- expect: LuaRuntimeException: (error object is a nil value)
error(nil)
