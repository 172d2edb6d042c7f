-- expect: LuaRuntimeException: compute:2: bad argument #1 to 'date' (invalid conversion specifier '%Ez')
return os.date('%Ez')
