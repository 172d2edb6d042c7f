-- expect: LuaRuntimeException: compute:2: attempt to call a nil value (field 'dump')
return string.dump(function() end)
