-- expect: value reader function must return a string
return select(2, load(function() return {} end))
