-- expect: value one
local t = setmetatable({}, {__pairs = function(t) return function(_, k) if not k then return 1, 'one' end end, t, nil end})
local out = {}
for k, v in pairs(t) do out[#out + 1] = v end
return out[1]
