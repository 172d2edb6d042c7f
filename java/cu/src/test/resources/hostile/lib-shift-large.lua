-- expect: value 2
return 1 << 64, 1 >> -1
