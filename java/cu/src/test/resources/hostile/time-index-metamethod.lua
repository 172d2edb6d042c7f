-- expect: LuaTimeoutException[TIME_LIMIT]: time limit exceeded
return setmetatable({}, {__index = function(t, k) while true do end end}).x
