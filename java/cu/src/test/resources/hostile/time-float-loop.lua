-- expect: LuaTimeoutException[TIME_LIMIT]: time limit exceeded
for i = 1, 1e12 do local x = i * 2 end
