-- expect: LuaTimeoutException[TIME_LIMIT]: time limit exceeded
local s
while true do s = string.rep('a', 10) end
