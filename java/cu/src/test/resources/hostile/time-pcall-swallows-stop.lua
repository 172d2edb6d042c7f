-- expect: LuaTimeoutException[TIME_LIMIT]: time limit exceeded
while true do
  pcall(function() while true do end end)
end
