-- expect: value C stack overflow
local f, e = load('return ' .. string.rep('(', 1e5) .. '1' .. string.rep(')', 1e5))
return e
