-- expect: value ok
for i = 1, 1e4 do print(i) end
return 'ok'
