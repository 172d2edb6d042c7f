-- expect: LuaTimeoutException[TIME_LIMIT]: time limit exceeded
pcall(pcall, pcall, function() while true do end end)
