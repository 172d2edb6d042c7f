-- expect: value 100001
local co = coroutine.create(function() local t = {} for i = 1, 1e5 do t[i] = i end coroutine.yield(table.unpack(t)) end)
return select('#', coroutine.resume(co))
