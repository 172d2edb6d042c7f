-- expect: value []
return '[' .. string.rep('x', -5) .. ']'
