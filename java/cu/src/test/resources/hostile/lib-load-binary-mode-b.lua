-- expect: value attempt to load a binary chunk (mode is 't')
return select(2, load('\27LuaT', 'x', 'b'))
