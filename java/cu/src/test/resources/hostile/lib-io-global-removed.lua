-- expect: value nil
_io = nil
return type(_io)
