-- expect: LuaRuntimeException: compute:2: bad argument #2 to 'date' (number has no integer representation)
return os.date('*t', 1e20)
