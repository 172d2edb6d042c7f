-- expect: LuaTimeoutException[TIME_LIMIT]: time limit exceeded
for i = 1, math.maxinteger do end
