-- expect: value false not enough memory
local ok, e = pcall(string.rep, 'x', 1 << 30)
return tostring(ok) .. ' ' .. e
