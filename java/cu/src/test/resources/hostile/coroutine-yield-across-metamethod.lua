-- expect: value x
local co = coroutine.wrap(function()
  local t = setmetatable({}, {__index = function(t, k) return coroutine.yield(k) end})
  return t.x
end)
return co()
