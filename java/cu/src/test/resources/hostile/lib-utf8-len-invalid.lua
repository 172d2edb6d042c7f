-- expect: value 4
return select(2, utf8.len('abc\xff'))
