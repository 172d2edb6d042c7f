-- expect: value 500500
local t = {}
for i = 1, 1000 do
  t[i] = coroutine.create(function() coroutine.yield(i) return i end)
  coroutine.resume(t[i])
end
local n = 0
for i = 1, 1000 do n = n + select(2, coroutine.resume(t[i])) end
return n
