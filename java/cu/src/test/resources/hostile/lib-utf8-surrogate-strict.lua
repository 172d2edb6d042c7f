-- expect: value 1
return utf8.len('\u{D800}')
