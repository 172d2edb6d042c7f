-- expect: value -0.0
return tostring(-0.0)
