-- expect: value C stack overflow
local f, e = load('return ' .. string.rep('{', 1e4) .. string.rep('}', 1e4))
return e
