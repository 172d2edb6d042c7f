-- expect: value 100 true
local function chain(n)
  local f = function(x) return x end
  for i = 1, n do local g = f f = function(x) return g(x) + 1 end end
  return f
end
local ok = pcall(function() _home.c = chain(101) end)
_home.c = chain(100)
return _home.c(0) .. " " .. tostring(not ok)
