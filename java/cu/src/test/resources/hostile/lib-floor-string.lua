-- expect: LuaRuntimeException: compute:2: bad argument #1 to 'floor' (number expected, got string)
return math.floor('x')
