-- expect: LuaRuntimeException: [string "c"]:1: attempt to index a number value (upvalue '_ENV')
return load('return x', 'c', 't', 5)()
