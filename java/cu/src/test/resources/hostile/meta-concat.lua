-- expect: value c
return setmetatable({}, {__concat = function(a, b) return 'c' end}) .. 'x'
