-- expect: value not enough memory
local co = coroutine.create(function() return string.rep('x', 1 << 30) end)
return select(2, coroutine.resume(co))
