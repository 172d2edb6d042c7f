-- expect: LuaRuntimeException: C stack overflow
local function f(n)
  local co = coroutine.create(f)
  local ok, e = coroutine.resume(co, n + 1)
  if not ok then error(e, 0) end
  return e
end
return f(1)
