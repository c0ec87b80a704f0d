b = b'  Hello, World\n'
ba = bytearray(b'a,b,,c')
print(b.upper(), b.lower(), b.strip(), b.lstrip(), b.rstrip(), b.strip(b' \nH'))
print(b.replace(b'l', b'L'), b.replace(b'l', b'L', 2), b'abc'.replace(b'', b'-'), b.count(b'l'), b.count(b''), b.find(b'World'), b.find(b'x'))
print(b.startswith(b'  H'), b.endswith((b'x', b'\n')), b'-'.join([b'a', bytearray(b'b'), b'c']), bytearray(b', ').join([b'x', b'y']))
print(b'a\nb\r\nc\rd'.splitlines(), b'a\nb\r\n'.splitlines(True), ba.split(b','), ba.rsplit(b',', 1), ba.upper(), type(ba.upper()).__name__)
print(b'a b c'.rsplit(None, 1), b' x  y '.split(), bytearray(b' x ').split())
try:
    b'-'.join([b'a', 'b'])
except TypeError as e:
    print(e)
try:
    b.count('l')
except TypeError as e:
    print(e)
try:
    b'x'.startswith('x')
except TypeError as e:
    print(e)
print(b'abca'.count(97), b'abc'.find(99))
