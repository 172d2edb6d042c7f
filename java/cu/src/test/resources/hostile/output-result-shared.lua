-- expect: value [[1], [1], [1]]
local s = {1}
return {s, s, s}
