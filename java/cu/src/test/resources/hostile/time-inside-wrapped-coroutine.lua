-- expect: LuaTimeoutException[TIME_LIMIT]: time limit exceeded
return coroutine.wrap(function() while true do end end)()
