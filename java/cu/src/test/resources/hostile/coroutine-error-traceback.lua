-- expect: value compute:2: attempt to index a nil value (local 'x')
local co = coroutine.create(function() local x = nil; return x.y end)
local ok, e = coroutine.resume(co)
return e
