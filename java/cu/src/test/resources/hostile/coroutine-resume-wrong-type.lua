-- expect: value bad argument #1 to 'coroutine.resume' (coroutine expected, got number)
return select(2, pcall(coroutine.resume, 42))
