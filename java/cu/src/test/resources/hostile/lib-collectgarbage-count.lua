-- expect: value float
return math.type(collectgarbage('count'))
