-- expect: value compute:2: reader function must return a string
return select(2, load(function() return {} end))
