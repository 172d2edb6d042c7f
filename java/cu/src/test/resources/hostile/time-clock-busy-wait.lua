-- expect: LuaTimeoutException[TIME_LIMIT]: time limit exceeded
local t = os.clock()
while os.clock() - t < 10 do end
return 'unreachable'
