-- expect: LuaRuntimeException: compute:2: attempt to index a number value
return ('x'):len() + (12345):len()
