# FORMAT_VALUE and str.format: a conversion (!r, !s, !a) makes a str, which the spec then formats;
# ascii() escapes what repr leaves; unknown conversions and missing names fail as CPython says.
x, q = 5, 'q'
print(f"[{q!r:>6}]", f"[{x!r:<4}]", f"[{q!s:^5}]", f"[{'é'!a:>8}]")
print("[{!r:>6}]".format(q), "[{0!s:*^7}]".format(3.5), "[{!a}]".format('ü'))
print(ascii("é"), ascii(["é", 'ß']), ascii('abc'))
for fmt in ["{0!x}", "{x}"]:
    try:
        print(fmt.format(1, y=1))
    except (ValueError, KeyError) as e:
        print(type(e).__name__, e)
