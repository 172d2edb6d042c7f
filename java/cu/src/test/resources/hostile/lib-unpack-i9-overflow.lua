-- expect: LuaRuntimeException: compute:2: 9-byte integer does not fit into Lua Integer
return string.unpack('i9', string.rep('\1', 9))
