-- Naive doubly recursive Fibonacci: function calls and integer arithmetic.
-- Returns fib(32) = 2178309.
local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end
return fib(32)
