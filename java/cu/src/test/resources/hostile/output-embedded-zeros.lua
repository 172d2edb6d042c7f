-- expect: value ok
print('a\0b')
return 'ok'
