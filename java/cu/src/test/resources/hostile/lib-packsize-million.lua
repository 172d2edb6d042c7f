-- expect: value 8000000
return string.packsize(string.rep('i8', 1e6))
