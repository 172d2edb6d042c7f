-- expect: value 55
local gen = coroutine.wrap(function() for i = 1, 10 do coroutine.yield(i) end end)
local s = 0
for i = 1, 10 do s = s + gen() end
return s
