-- expect: value 8000000
return #string.rep('r', 8e6)
