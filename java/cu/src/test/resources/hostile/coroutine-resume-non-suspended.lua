-- expect: value cannot resume non-suspended coroutine
local outer
outer = coroutine.create(function()
  local inner = coroutine.create(function() return coroutine.resume(outer) end)
  return select(3, coroutine.resume(inner))
end)
return select(2, coroutine.resume(outer))
