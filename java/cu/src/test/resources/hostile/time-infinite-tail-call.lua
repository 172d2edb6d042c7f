-- expect: LuaTimeoutException[TIME_LIMIT]: time limit exceeded
local function f() return f() end
return f()
