-- expect: value 2
return #'\xff\xfe'
