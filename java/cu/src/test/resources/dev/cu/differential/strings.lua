-- Differential cases: string patterns, format, pack/unpack, and the other string functions.

-- case: find
print(string.find("hello world", "o w"))
print(string.find("hello", "l+"))
print(string.find("hello", "xyz"))
print(string.find("a.b", ".", 1, true))
print(string.find("abc", "b", -1))
print(string.find("abc", "", 10))
print(string.find("abc", "", 4))
print(("x"):find("(x)"))

-- case: match with captures
print(string.match("key = value", "(%w+)%s*=%s*(%w+)"))
print(string.match("2024-01-02", "(%d+)-(%d+)-(%d+)"))
print(string.match("hello", "()ll()"))
print(string.match("  trim  ", "^%s*(.-)%s*$"))
print(string.match("abc", "((a)(b))"))

-- case: gmatch
for w in string.gmatch("one two three", "%a+") do print(w) end
for k, v in string.gmatch("a=1, b=2", "(%w+)=(%w+)") do print(k, v) end
for pos in string.gmatch("abc", "()") do print(pos) end

-- case: gmatch with init
for w in string.gmatch("one two three", "%a+", 5) do print(w) end
for w in string.gmatch("abc", ".", -1) do print(w) end

-- case: gsub forms
print(string.gsub("hello world", "o", "0"))
print(string.gsub("hello world", "o", "0", 1))
print(string.gsub("hello", "", "-"))
print(string.gsub("abc", "%w", "%0%0"))
print(string.gsub("abc", "(%w)", "%1-"))
print(string.gsub("$name is $age", "%$(%w+)", {name = "Bob", age = 42}))
print(string.gsub("abc", "%w", function(c) return c:upper() .. "." end))
print(string.gsub("abc", "%w", function(c) if c == "b" then return false end return nil end))

-- case: gsub errors
print(pcall(string.gsub, "abc", "(", "x"))
print(pcall(string.gsub, "abc", "%w", "%2"))
print(pcall(string.gsub, "abc", "%w", "%"))
print(pcall(string.gsub, "abc", "%w", {a = {}}))
print(pcall(string.gsub, "abc", "%w", 1.5))
print(pcall(string.gsub, "abc", "[a", "x"))
print(pcall(string.gsub, "abc", "%", "x"))

-- case: pattern classes
local s = "aB1 _.\t\n"
for _, c in ipairs({"%a", "%A", "%d", "%l", "%u", "%s", "%w", "%p", "%c", "%x", "%g"}) do
  print(c, (s:gsub(c, "#")))
end

-- case: pattern special items
print(("THE (quick) fox"):find("%((%a+)%)"))
print(("f(a(b)c)"):match("%b()"))
print(("THE (quick) fox"):match("%f[%a]%a+", 5))
print(("aaa"):match("a-b"), ("aaab"):match("a-b"), ("aaa"):match("^a*$"))
print(("[x]"):match("[%[%]]"), ("a-b"):match("[a%-]+"))
print(("hello"):match(".-(l+)(.*)"))

-- case: malformed patterns
print(pcall(string.find, "a", "%b"))
print(pcall(string.find, "a", "%f"))
print(pcall(string.find, "a", "(()"))
print(pcall(string.find, "a", "%1"))
print(pcall(string.match, "a", "[^"))
print(pcall(string.rep))

-- case: pattern too complex
print(pcall(string.match, string.rep("a", 40), string.rep("(a)", 40)))

-- case: format integers and floats
print(string.format("%d %5d %-5d| %05d %+d", 1, 2, 3, 4, 5))
print(string.format("%x %X %o %#x", 255, 255, 8, 255))
print(string.format("%.3f %e %g %g %g", 3.14159, 12345.678, 0.0001, 1e20, 100))
print(string.format("%a", 1.0))
print(string.format("%5.1s|", "abc"))
print(string.format("%i", 42))
print(string.format("%c%c%c", 76, 117, 97))
print(string.format("%%"))

-- case: format %q
print(string.format("%q", 'a "quoted"\n\0 string\r\t'))
print(string.format("%q", 1/3))
print(string.format("%q", math.mininteger))
print(string.format("%q", 1/0), string.format("%q", -1/0), string.format("%q", 0/0))
print(string.format("%q", 255), string.format("%q", true), string.format("%q", nil))

-- case: format %s with tostring
print(string.format("%s %s %s", 1, 1.5, true))
print(string.format("%s", setmetatable({}, {__tostring = function() return "custom" end})))
print(string.format("%.2s", "abcdef"))
print(string.format("%10s|%-10s|", "r", "l"))

-- case: format errors
print(pcall(string.format, "%d"))
print(pcall(string.format, "%d", 2^63))
print(pcall(string.format, "%c", "x"))
print(pcall(string.format, "%0100d", 1))
print(pcall(string.format, "%q", 1, 2))
print(pcall(string.format))

-- case: format numbers as integers
print(string.format("%d", 3.0))
print(string.format("%.0f", 0.5), string.format("%.0f", 1.5))
print(string.format("%5.2f|", -1.005))
print(string.format("%g", 2^53), string.format("%.14g", 0.1))

-- case: rep, sub, byte, char
print(string.rep("ab", 3, ","), string.rep("x", 0), string.rep("x", -1))
print(("hello"):sub(2, 4), ("hello"):sub(-3), ("hello"):sub(0), ("hello"):sub(10))
print(("ABC"):byte(), ("ABC"):byte(1, -1), ("ABC"):byte(10))
print(string.char(), string.char(104, 105))
print(pcall(string.char, 256))
print(pcall(string.char, -1))

-- case: rep too large
print(pcall(string.rep, "x", math.maxinteger))
print(pcall(string.rep, "xy", math.maxinteger // 2, ","))

-- case: upper lower reverse len
print(("MiXeD"):upper(), ("MiXeD"):lower(), ("abc"):reverse(), ("abc"):len(), #"\0\0")

-- case: string coercions
print("10" + 1, "3" * "4", 10 .. 20, "0x10" + 0, " 5 " * 2)
print(pcall(function() return "abc" + 1 end))
print(math.type("10" + 0), math.type("10.0" + 0), "1e2" + 0)

-- case: tostring and tonumber
print(tostring(10), tostring(-0.0), tostring(1e100), tostring(2^63), tostring(1/0))
print(tonumber("0x1p4"), tonumber("  12  "), tonumber("1e"), tonumber(""), tonumber("z", 36))
print(tonumber("ff", 16), tonumber("777", 8), tonumber("102", 2), tonumber(nil))
print(pcall(tonumber))
print(pcall(tonumber, 10, 16))
print(tonumber("9223372036854775808"), tonumber("-9223372036854775808"))

-- case: pack and unpack basics
local s = string.pack("i4 i8 d s1 z", 7, -2, 1.5, "hi", "zero")
print(#s, string.unpack("i4 i8 d s1 z", s))
print(string.packsize("i4 i8 d"))
print(string.unpack("<I2", "\1\2"), string.unpack(">I2", "\1\2"))

-- case: pack alignment and options
print(#string.pack("!8 b i8", 1, 2))
print(string.pack(">i3", 0x010203):byte(1, -1))
print(string.unpack("B b", "\255\255"))
print(string.packsize("!4 i1 i4"), string.packsize("c10"))
print(string.unpack("c3", "abcdef"))
print(#string.pack("j n", 1, 2.5))

-- case: pack errors
print(pcall(string.pack, "i17", 1))
print(pcall(string.pack, "i1", 200))
print(pcall(string.pack, "z", "a\0b"))
print(pcall(string.unpack, "i4", "abc"))
print(pcall(string.packsize, "s"))
print(pcall(string.pack, "X"))
print(pcall(string.unpack, "i4", "abcd", 10))
print(pcall(string.pack, "q", 1))

-- case: unpack with position
local s = string.pack("i2 i2 i2", 1, 2, 3)
print(string.unpack("i2", s, 3))
print(string.unpack("i2", s, -2))

-- case: len and comparison of strings with zeros
local a, b = "a\0b", "a\0c"
print(#a, a < b, a == "a\0b", ("\0"):byte())

-- case: string methods through the metatable
local s = "method"
print(s:len(), s:sub(1, 2), s:rep(2), s:upper():lower())

-- case: long strings and escapes
print("\65\066\x43\u{44}\z
       E")
print([[
first line
second]])
print("tab\tquote\"back\\")

-- case: invalid escapes are syntax errors
print(load([[return "\q"]]))
print(load([[return "\x4"]]))
print(load([[return "\u{110000000}"]]))
print(load([[return "\300"]]))
