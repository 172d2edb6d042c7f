-- expect: LuaTimeoutException[TIME_LIMIT]: time limit exceeded
local co = coroutine.create(function() while true do end end)
return coroutine.resume(co)
