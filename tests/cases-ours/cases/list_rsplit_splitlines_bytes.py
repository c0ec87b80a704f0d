import sys
P = 8 if sys.maxsize > 2**32 else 4
B = sys.getsizeof([])
def s(l):
    return '%d/%d' % (len(l), (sys.getsizeof(l) - B) // P)
out = []
for t in ['', 'a', 'a b', 'a b c', 'abcdefgh', 'a b c d e f g h i j k l', 'a b c d e f g h i j k l m', ' '.join(['w'] * 20)]:
    out.append(s(t.rsplit()))
print('rws', ' '.join(out))
out = []
for t in ['', 'a', 'a,b', 'a,b,c', 'a,b,c,d,e,f,g,h,i,j,k,l', 'a,b,c,d,e,f,g,h,i,j,k,l,m', ','.join(['w'] * 20)]:
    out.append(s(t.rsplit(',')))
print('rch', ' '.join(out))
out = []
for t in ['a::b::c', 'abc', 'a', ':'.join(['w'] * 20)]:
    out.append(s(t.rsplit('::')))
print('rmc', ' '.join(out))
out = []
for t, k in [('a b c', 0), ('a b c', 1), ('a b c d e f g h i j k l m n o', 12), ('a,b,c', 1)]:
    out.append(s(t.rsplit(None if ',' not in t else ',', k)))
print('rK', ' '.join(out))
# order check of rsplit with >12 items
r = ','.join(str(i) for i in range(15)).rsplit(',')
print('rorder', r[0], r[-1], s(r))
# splitlines
out = []
for t in ['', 'a', 'a\nb', 'a\nb\nc', 'a\nb\nc\nd\ne', '\n'.join(['w'] * 9), '\n'.join(['w'] * 17), 'a\n']:
    out.append(s(t.splitlines()))
print('lines', ' '.join(out))
print('lines_keep', s('a\nb\nc'.splitlines(True)))
# bytes
out = []
for t in [b'', b'a', b'a b', b'a b c', b'w ' * 13, b'w ' * 20]:
    out.append(s(t.split()))
print('bws', ' '.join(out))
out = []
for t in [b'', b'a', b'a,b', b'a,b,c', b'w,' * 12 + b'w', b'w,' * 19 + b'w']:
    out.append(s(t.split(b',')))
print('bch', ' '.join(out))
out = []
for t in [b'a', b'a::b', b'ab', b'a']:
    out.append(s(t.split(b'::')))
print('bmc', ' '.join(out))
print('bK', s(b'a b c'.split(None, 1)), s(b'a,b,c'.split(b',', 0)), s(b'a b'.rsplit()), s(b'a,b,c'.rsplit(b',')), s(b'a\nb'.splitlines()))
print('bytearray', s(bytearray(b'a b').split()), s(bytearray(b'a,b').split(b',')))
