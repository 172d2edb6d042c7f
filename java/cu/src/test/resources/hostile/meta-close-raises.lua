-- expect: LuaRuntimeException: in close
do
  local x <close> = setmetatable({}, {__close = function() error('in close', 0) end})
end
