-- expect: value 3
local co = coroutine.create(function() pcall(coroutine.yield, 1) return 2 end)
local _, a = coroutine.resume(co)
local _, b = coroutine.resume(co)
return a + b
