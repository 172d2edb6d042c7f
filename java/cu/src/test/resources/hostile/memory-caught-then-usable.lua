-- expect: value 1000
local ok = pcall(function() local s = 'x' while true do s = s .. s end end)
return ok, #string.rep('y', 1000)
