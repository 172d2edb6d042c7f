-- expect: value [1, 2]
return setmetatable({1, 2}, {__pairs = function() error('no') end, __len = function() error('no') end, __index = function() error('no') end})
