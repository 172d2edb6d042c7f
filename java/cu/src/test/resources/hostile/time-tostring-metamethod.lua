-- expect: LuaTimeoutException[TIME_LIMIT]: time limit exceeded
return tostring(setmetatable({}, {__tostring = function() while true do end end}))
