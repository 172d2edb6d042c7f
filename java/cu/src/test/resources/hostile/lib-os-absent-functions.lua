-- expect: value null
return os.execute
