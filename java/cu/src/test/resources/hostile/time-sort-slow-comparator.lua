-- expect: LuaTimeoutException[TIME_LIMIT]: time limit exceeded
local t = {}
for i = 1, 1e5 do t[i] = i end
table.sort(t, function(a, b) for i = 1, 1e4 do end return a > b end)
return t[1]
