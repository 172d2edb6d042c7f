-- expect: LuaTimeoutException[TIME_LIMIT]: time limit exceeded
local co = coroutine.wrap(function() while true do coroutine.yield() end end)
while true do co() end
