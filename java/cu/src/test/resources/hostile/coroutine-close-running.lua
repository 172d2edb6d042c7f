-- expect: value cannot close a running coroutine
return select(2, pcall(coroutine.close, coroutine.running()))
