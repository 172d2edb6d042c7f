-- expect: value bad argument #2 to 'setmetatable' (nil or table expected, got number)
return select(2, pcall(setmetatable, {}, 5))
