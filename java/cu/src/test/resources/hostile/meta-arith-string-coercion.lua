-- expect: value 12
return '10' + 5, '3' * '4'
