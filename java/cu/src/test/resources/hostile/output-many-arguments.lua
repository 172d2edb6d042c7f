-- expect: value ok
print(table.unpack({}, 1, 200))
return 'ok'
