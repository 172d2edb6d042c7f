-- expect: LuaTimeoutException[TIME_LIMIT]: time limit exceeded
repeat until false
