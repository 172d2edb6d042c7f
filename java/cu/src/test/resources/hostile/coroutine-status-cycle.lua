-- expect: value suspended running dead
local co
co = coroutine.create(function() return coroutine.status(co) end)
local a = coroutine.status(co)
local _, b = coroutine.resume(co)
return a .. ' ' .. b .. ' ' .. coroutine.status(co)
