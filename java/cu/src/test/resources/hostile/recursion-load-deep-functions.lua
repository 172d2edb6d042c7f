-- expect: value C stack overflow
local f, e = load(string.rep('return function() ', 300) .. string.rep('end ', 300))
return e
