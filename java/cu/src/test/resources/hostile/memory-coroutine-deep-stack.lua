-- expect: value false not enough memory
local co = coroutine.create(function()
  local function r(n) return r(n + 1) + 1 end
  return r(1)
end)
local ok, e = coroutine.resume(co)
return tostring(ok) .. ' ' .. tostring(e)
