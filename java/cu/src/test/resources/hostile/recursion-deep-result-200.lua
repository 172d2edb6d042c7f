-- expect: value 1
local t = 'leaf'
for i = 1, 200 do t = {t} end
return #t
