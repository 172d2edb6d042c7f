-- expect: LuaTimeoutException[TIME_LIMIT]: time limit exceeded
local ok, e = pcall(function() while true do end end)
return e
