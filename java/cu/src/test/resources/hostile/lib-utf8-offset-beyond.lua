-- expect: value null
return utf8.offset('abc', 10)
