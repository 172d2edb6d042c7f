-- expect: LuaRuntimeException: compute:2: '__tostring' must return a string
print(setmetatable({}, {__tostring = function() return {} end}))
