-- expect: value true
return getmetatable('').__index == string
