-- expect: value -Infinity
return -1/0
