-- expect: value survived
for i = 1, 20 do
  pcall(function() local s = 'x' while true do s = s .. s end end)
end
return 'survived'
