-- expect: value function
_home.f = print
return type(_home.f)
