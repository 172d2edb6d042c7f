-- expect: LuaTimeoutException[TIME_LIMIT]: time limit exceeded
load('while true do end')()
