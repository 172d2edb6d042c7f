-- expect: value float
local t = {}
for i = 1, 1000 do t[i] = {} end
return math.type(collectgarbage('count'))
