-- expect: value -1
return (string.unpack('i16', string.rep('\255', 16)))
