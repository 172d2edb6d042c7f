-- expect: value 0x1p+0
return string.format('%a', 1)
