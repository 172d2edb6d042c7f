-- expect: value 1e9999
return string.format('%q', 1/0)
