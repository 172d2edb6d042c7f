-- expect: LuaRuntimeException: compute:2: no string
print(setmetatable({}, {__tostring = function() error('no string') end}))
