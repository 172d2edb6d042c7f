-- expect: LuaRuntimeException: compute:2: invalid conversion specification: '%100s'
return string.format('%100s', 'x')
