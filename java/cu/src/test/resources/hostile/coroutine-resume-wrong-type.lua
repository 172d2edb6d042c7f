-- expect: value bad argument #1 to 'coroutine.resume' (thread expected, got number)
return select(2, pcall(coroutine.resume, 42))
