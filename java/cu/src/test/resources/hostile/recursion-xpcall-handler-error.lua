-- expect: value error in error handling
return select(2, xpcall(error, function(m) error('again') end, 'first'))
