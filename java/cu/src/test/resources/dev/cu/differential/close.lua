-- Differential cases: to-be-closed variables: order, errors in and out of __close,
-- coroutines, pcall, break and return paths.

-- case: closing order
local function closer(name)
  return setmetatable({}, {__close = function(_, e) print("close", name, e) end})
end
do
  local a <close> = closer("a")
  local b <close> = closer("b")
  print("body")
end

-- case: close on return
local function closer(name)
  return setmetatable({}, {__close = function() print("close", name) end})
end
local function f()
  local a <close> = closer("a")
  return "ret"
end
print(f())

-- case: close on break and goto
local function closer(name)
  return setmetatable({}, {__close = function() print("close", name) end})
end
for i = 1, 3 do
  local c <close> = closer(i)
  if i == 2 then break end
end
do
  local c <close> = closer("goto")
  goto out
end
::out::
print("after")

-- case: close receives the error
local function closer(name)
  return setmetatable({}, {__close = function(_, e) print("close", name, e) end})
end
print(pcall(function()
  local a <close> = closer("a")
  error("failure")
end))

-- case: error in __close replaces the error
print(pcall(function()
  local a <close> = setmetatable({}, {__close = function() error("close failed") end})
  error("original")
end))

-- case: error in __close on normal exit
print(pcall(function()
  local a <close> = setmetatable({}, {__close = function() error("close failed") end})
  return "value"
end))

-- case: several closers with errors
print(pcall(function()
  local a <close> = setmetatable({}, {__close = function(_, e) print("a sees", e) error("a") end})
  local b <close> = setmetatable({}, {__close = function(_, e) print("b sees", e) error("b") end})
  error("body")
end))

-- case: nil and false are allowed
do
  local a <close> = nil
  local b <close> = false
  print("ok")
end

-- case: non-closable value
print(pcall(function() local x <close> = {} end))
print(pcall(function() local x <close> = 42 end))

-- case: non-closable value uncaught
local x <close> = "string"

-- case: const variables
local x <const> = 10
print(x * 2)

-- case: close in a generic for
local closed = false
local function iter()
  local tbc = setmetatable({}, {__close = function() closed = true print("iterator closed") end})
  local i = 0
  return function() i = i + 1 if i <= 3 then return i end end, nil, nil, tbc
end
for i in iter() do
  if i == 2 then break end
  print(i)
end
print(closed)

-- case: close in a for that ends by error
local function iter()
  local tbc = setmetatable({}, {__close = function(_, e) print("closed with", e) end})
  return function() error("iter err") end, nil, nil, tbc
end
print(pcall(function() for i in iter() do end end))

-- case: close a suspended coroutine runs closers
local co = coroutine.create(function()
  local a <close> = setmetatable({}, {__close = function(_, e) print("closing a", e) end})
  coroutine.yield(1)
end)
print(coroutine.resume(co))
print(coroutine.close(co))

-- case: close a coroutine whose closer errors
local co = coroutine.create(function()
  local a <close> = setmetatable({}, {__close = function() error("in close") end})
  coroutine.yield(1)
end)
coroutine.resume(co)
print(coroutine.close(co))
print(coroutine.status(co))

-- case: wrap closes a coroutine that died with an error
local f = coroutine.wrap(function()
  local a <close> = setmetatable({}, {__close = function(_, e) print("closed:", e) end})
  coroutine.yield("y")
  error("body error")
end)
print(f())
print(pcall(f))
print(pcall(f))

-- case: wrap whose closer replaces the error
local f = coroutine.wrap(function()
  local a <close> = setmetatable({}, {__close = function() error("closer error") end})
  error("body error")
end)
print(pcall(f))

-- case: resume does not close a failed coroutine
local co = coroutine.create(function()
  local a <close> = setmetatable({}, {__close = function(_, e) print("closed late", e) end})
  error("fail")
end)
print(coroutine.resume(co))
print("before close")
print(coroutine.close(co))

-- case: closing values in pcall'd chunk with return values
local function f()
  local a <close> = setmetatable({}, {__close = function() print("closing") end})
  return 1, 2, 3
end
print(f())
print(select("#", f()))

-- case: tbc in the main chunk
local a <close> = setmetatable({}, {__close = function() print("main closed") end})
print("main body")

-- case: tbc in the main chunk with an error
local a <close> = setmetatable({}, {__close = function(_, e) print("main closed", e) end})
error("main error")

-- case: __close that yields
local co = coroutine.wrap(function()
  do
    local a <close> = setmetatable({}, {__close = function()
      print("in close")
      coroutine.yield("yielded from close")
      print("close resumed")
    end})
  end
  return "done"
end)
print(co())
print(co())

-- case: closer sees the error object of a table
local e = {}
print(pcall(function()
  local a <close> = setmetatable({}, {__close = function(_, err) print(err == e) end})
  error(e)
end))

-- case: __close metamethod removed after declaration
local mt = {__close = function() print("closed") end}
print(pcall(function()
  local a <close> = setmetatable({}, mt)
  mt.__close = nil
end))

-- case: closers run with load
local f = load([[
  local a <close> = ...
  return "loaded"
]])
print(f(setmetatable({}, {__close = function() print("closed by loaded chunk") end})))

-- case: wrap called again from the closer of its dead coroutine
local f
f = coroutine.wrap(function()
  local a <close> = setmetatable({}, {__close = function(_, e)
    print("closer sees", e)
    print("call again:", pcall(f))
  end})
  error("die")
end)
print(pcall(f))
print(pcall(f))

-- case: coroutine.close from inside the closer of the same coroutine
local co
co = coroutine.create(function()
  local a <close> = setmetatable({}, {__close = function()
    print("inner close:", pcall(coroutine.close, co))
    print("status inside:", coroutine.status(co))
  end})
  coroutine.yield()
end)
coroutine.resume(co)
print(coroutine.close(co))
print(coroutine.status(co))

-- case: closer of a wrapped coroutine resumes another wrap
local g = coroutine.wrap(function() coroutine.yield("g1") return "g2" end)
local f = coroutine.wrap(function()
  local a <close> = setmetatable({}, {__close = function() print("closer calls g:", g()) end})
  error("f fails")
end)
print(pcall(f))
print(pcall(g))
