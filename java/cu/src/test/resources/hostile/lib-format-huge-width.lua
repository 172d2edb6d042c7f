-- expect: LuaRuntimeException: compute:2: invalid conversion specification: '%99999d'
return string.format('%99999d', 1)
