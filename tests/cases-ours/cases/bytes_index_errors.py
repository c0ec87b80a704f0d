# A bytearray slice is a bytearray (bytearray_subscript); each sequence's own index messages.
import sys
ba = bytearray(b"hello")
print(ba[1:3], sys.getsizeof(ba[1:3]), sys.getsizeof(ba[:]), sys.getsizeof(ba[5:]), sys.getsizeof(b"hello"[1:3]))
b, s, one, fl, x = b"abc", "abc", bytearray(b"a"), 1.0, "x"
for f in [lambda: b[5], lambda: one[3], lambda: s[fl], lambda: b[x], lambda: one[x], lambda: s[9], lambda: [1][fl]]:
    try:
        f()
    except (IndexError, TypeError) as e:
        print(type(e).__name__, e)
