-- expect: value hijack
getmetatable('').__index = function() return 'hijack' end
return ('x').foo
