-- expect: value inner
local f = coroutine.wrap(function() error('inner', 0) end)
local ok, e = pcall(f)
return e
