-- expect: LuaTimeoutException[TIME_LIMIT]: time limit exceeded
local t = setmetatable({}, {}) getmetatable(t).__call = t return t()
