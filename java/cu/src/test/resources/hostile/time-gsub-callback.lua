-- expect: LuaTimeoutException[TIME_LIMIT]: time limit exceeded
return (string.rep('a', 1e6):gsub('a', function() for i = 1, 1e4 do end end))
