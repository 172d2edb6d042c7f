-- expect: value NaN
return 0/0
