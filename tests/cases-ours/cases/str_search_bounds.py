s = "abcabcab"
print(s.find("ab", 1), s.find("ab", 1, 4), s.rfind("ab", 0, 5), s.count("ab", 1), s.count("", 2, 5), s.find("", 9), s.find("", 8), s.rindex("c", -4), s.find("b", -100, -2), s.count("a", None, 4))
print("héllo wörld".find("ö", 3), "héllo wörld".rfind("l", 0, -2))
print(b"abcab".find(b"ab", 1), b"abcab".count(b"a", 1), b"abcab".rindex(b"a"), bytearray(b"xyx").rfind(b"x", 0, 2), b"abc".find(98, 1))
for f in [lambda: s.find(), lambda: s.find("a", 1, 2, 3), lambda: s.find("a", "x"), lambda: s.rindex("z"), lambda: s.index("z", 2), lambda: b"ab".rindex(b"z"), lambda: s.find(1)]:
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)
for f in [lambda: b"ab".find(), lambda: b"ab".find(b"a", 1, 2, 3), lambda: b"ab".count(b"a", "x"), lambda: b"ab".index(b"z"), lambda: b"ab".find("a"), lambda: "ab".count(1), lambda: "ab".rindex(), lambda: "abc".startswith("b", 1), lambda: "abc".endswith("b", 0, 2), lambda: b"abc".startswith(b"b", 1), lambda: "ab".find("a", 10**30), lambda: "abc".rfind("", 1, 2), lambda: "abc".count("", 5)]:
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)
print("abcabc".startswith(("x", "bc"), 1), "abcabc".endswith("ab", None, 5), "abc".startswith("", 3), "abc".startswith("", 4))
print(b"abcabc".startswith((b"x", b"bc"), 1), bytearray(b"abc").endswith(b"b", 0, 2), b"abcab".rfind(b"ab", 0, 4), b"aaa".count(b"aa"))
try:
    "abc".startswith(("a", 1))
except TypeError as e:
    print(e)
try:
    "abc".endswith(1)
except TypeError as e:
    print(e)
