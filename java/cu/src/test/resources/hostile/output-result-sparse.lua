-- expect: value {1=a, 3=c}
return {[1] = 'a', [3] = 'c'}
