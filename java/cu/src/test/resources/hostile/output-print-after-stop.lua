-- expect: LuaTimeoutException[TIME_LIMIT]: time limit exceeded
local ok = pcall(function() while true do end end)
print('after')
