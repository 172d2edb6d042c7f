-- expect: value {9007199254740992=1}
return {[2^53] = 1}
