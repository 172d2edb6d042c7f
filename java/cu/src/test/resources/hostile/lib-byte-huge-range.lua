-- expect: value 99
return string.byte('abc', -1e10, 1e10)
