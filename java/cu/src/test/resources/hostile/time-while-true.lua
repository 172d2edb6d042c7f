-- expect: LuaTimeoutException[TIME_LIMIT]: time limit exceeded
while true do end
