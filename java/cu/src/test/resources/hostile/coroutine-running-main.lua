-- expect: value true
return select(2, coroutine.running())
