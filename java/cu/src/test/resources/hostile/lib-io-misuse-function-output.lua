-- expect: value function
_io.output = function() end
return type(_io.output)
