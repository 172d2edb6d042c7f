-- expect: value true
local function f(n) return pcall(f, n + 1) end
local ok, e = f(1)
return ok
