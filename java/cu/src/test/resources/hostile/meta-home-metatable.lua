-- expect: value external table
return getmetatable(_home)
