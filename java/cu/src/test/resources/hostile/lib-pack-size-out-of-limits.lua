-- expect: LuaRuntimeException: compute:2: integral size (1000000) out of limits [1,16]
return string.pack('i' .. 1e6, 1)
