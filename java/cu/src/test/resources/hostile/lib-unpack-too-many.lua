-- expect: LuaRuntimeException: compute:2: too many results to unpack
return table.unpack({}, 1, math.maxinteger)
