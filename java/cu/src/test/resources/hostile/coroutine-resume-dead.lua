-- expect: value cannot resume dead coroutine
local co = coroutine.create(function() end)
coroutine.resume(co)
return select(2, coroutine.resume(co))
