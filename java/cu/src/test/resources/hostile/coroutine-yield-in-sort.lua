-- expect: value attempt to yield across a C-call boundary
local co = coroutine.create(function() table.sort({3, 2, 1}, function(a, b) coroutine.yield() return a < b end) end)
return select(2, coroutine.resume(co))
