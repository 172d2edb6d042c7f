-- expect: value attempt to yield across a C-call boundary
local co = coroutine.create(function() return ('abc'):gsub('.', coroutine.yield) end)
return select(2, coroutine.resume(co))
