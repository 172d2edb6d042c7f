-- expect: value compute:2: bottom
local function f(n) if n == 0 then error('bottom') end return select(2, pcall(f, n - 1)) end
return f(150)
