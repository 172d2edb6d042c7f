-- expect: value ok
print(setmetatable({}, {__name = 'Thing'}))
return 'ok'
