-- expect: value boolean
return type(collectgarbage('step'))
