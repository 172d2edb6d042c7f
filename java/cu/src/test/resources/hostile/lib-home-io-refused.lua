-- expect: LuaRuntimeException: compute:2: cannot store _io in an external table
_home.x = _io
