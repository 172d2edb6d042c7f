-- expect: LuaTimeoutException[TIME_LIMIT]: time limit exceeded
local inner = coroutine.create(function() while true do end end)
local outer = coroutine.create(function() return coroutine.resume(inner) end)
return pcall(coroutine.resume, outer)
