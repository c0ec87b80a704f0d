b = b'\xb9\x01\xef\x10\x22'
for args in [(), (':',), (':', 2), (':', -2), ('-', 3), (b'|', -3), (':', 0), (':', 10)]:
    print(args, b.hex(*args))
print(bytearray(b'ab').hex(' '))
import sys
for t in ['a\nb', 'a\r\nb\rc\x0bd\x0ce\x1cf\x85g\u2028h', '', '\n', 'x\n\n', 'abc']:
    print(t.splitlines(), t.splitlines(True), t.splitlines(keepends=True))
print(sys.getsizeof('a\nb\nc'.splitlines()))
