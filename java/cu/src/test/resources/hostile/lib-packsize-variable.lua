-- expect: LuaRuntimeException: compute:2: bad argument #1 to 'packsize' (variable-length format)
return string.packsize('s')
