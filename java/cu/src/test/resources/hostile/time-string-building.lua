-- expect: LuaTimeoutException[TIME_LIMIT]: time limit exceeded
local t = {}
while true do t[#t % 100 + 1] = tostring(#t) end
