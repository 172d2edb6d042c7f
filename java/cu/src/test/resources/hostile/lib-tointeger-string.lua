-- expect: value 8
return math.tointeger('8')
