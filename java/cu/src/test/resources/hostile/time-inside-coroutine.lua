-- expect: LuaTimeoutException[TIME_LIMIT]:
-- (class and reason only: the message of a stop inside a coroutine is "Lua error (status 10)")
local co = coroutine.create(function() while true do end end)
return coroutine.resume(co)
