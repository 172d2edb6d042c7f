-- expect: value false true
local co = coroutine.wrap(function() return coroutine.isyieldable() end)
return tostring(coroutine.isyieldable()) .. ' ' .. tostring(co())
