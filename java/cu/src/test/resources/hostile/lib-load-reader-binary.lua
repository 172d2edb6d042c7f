-- expect: value attempt to load a binary chunk (mode is 't')
local parts = {'\27Lua', 'T'}
local i = 0
return select(2, load(function() i = i + 1 return parts[i] end))
