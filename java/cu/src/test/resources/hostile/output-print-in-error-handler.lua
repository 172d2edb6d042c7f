-- expect: value false
local ok = xpcall(error, function(m) print('handled', m) return m end, 'x')
return ok
