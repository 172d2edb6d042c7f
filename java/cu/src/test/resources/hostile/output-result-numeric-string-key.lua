-- expect: value {1=a}
return {['1'] = 'a'}
