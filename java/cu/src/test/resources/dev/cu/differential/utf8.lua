-- Differential cases: the utf8 library, and print of bytes that are not valid UTF-8.

-- case: char and charpattern
print(utf8.char(72, 228, 8364, 128512))
print(utf8.char())
print(utf8.charpattern)
print(pcall(utf8.char, -1))
print(pcall(utf8.char, 0x80000000))
print(#utf8.char(0x7FFFFFFF))

-- case: codepoint
print(utf8.codepoint("häll€"))
print(utf8.codepoint("häll€", 1, -1))
print(pcall(utf8.codepoint, "\xff"))
print(pcall(utf8.codepoint, "abc", 4))
print(utf8.codepoint("\u{7FFFFFFF}", 1, 1, true))
print(pcall(utf8.codepoint, "\u{7FFFFFFF}"))

-- case: len
print(utf8.len("häll€"), utf8.len(""), utf8.len("abc", 2))
print(utf8.len("a\xffb"))
print(utf8.len("häll€", -3))
print(pcall(utf8.len, "abc", 5))
print(utf8.len("\xed\xa0\x80"), utf8.len("\xed\xa0\x80", 1, -1, true))

-- case: offset
print(utf8.offset("häll€", 3), utf8.offset("häll€", -1), utf8.offset("häll€", 0, 3))
print(utf8.offset("abc", 5), utf8.offset("abc", 4))
print(pcall(utf8.offset, "häll€", 1, 3))

-- case: codes
for p, c in utf8.codes("aä€") do print(p, c) end

-- case: codes with invalid bytes
print(pcall(function() for p, c in utf8.codes("a\xffb") do end end))
print(pcall(function() for p, c in utf8.codes("a\x80") do end end))

-- case: codes lax
for p, c in utf8.codes("\u{7FFFFFFF}", true) do print(p, c) end

-- case: charpattern matching
local n = 0
for ch in ("häll€"):gmatch(utf8.charpattern) do n = n + 1 end
print(n)

-- case: print of invalid UTF-8 bytes
print("a\xffb", "\xc3\x28", "\xe2\x82")
print("\xed\xa0\x80")

-- case: print of a NUL byte and controls
print("a\0b", "\1\2\3")
print(#"a\0b")

-- case: print of valid multibyte text
print("grüße", "日本語", "🙂")

-- case: string.reverse of multibyte text prints raw bytes
print(("é"):reverse())
print(("ab€"):sub(3, 3))

-- case: utf8 escapes in source
print("\u{48}\u{49}", "\u{E9}", #"\u{10FFFF}", #"\u{7FFFFFFF}")

-- case: utf8 argument errors uncaught
utf8.char("x")
