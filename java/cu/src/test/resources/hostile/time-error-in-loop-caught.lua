-- expect: LuaTimeoutException[TIME_LIMIT]: time limit exceeded
local n = 0
while true do
  local ok = pcall(error, {})
  n = n + 1
end
