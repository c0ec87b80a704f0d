s = ''.join(['ab', 'cd'])
t = ''.join(['ab', ' cd'])
print(s.split()[0] is s, s.split(',')[0] is s, s.split('xyzxyz')[0] is s, s.split(',', 0)[0] is s, t.split(None, 0)[0] is t)
print(s.rsplit()[0] is s, s.rsplit(',')[0] is s, s.rsplit('xyzxyz')[0] is s, t.rsplit(None, 0)[0] is t)
u = ''.join([' ab', 'cd '])
print(u.split()[0] is u, u.split(' ')[0])
print(' a b  c  '.split(None, 1), ' a b  c  '.rsplit(None, 1), 'a\x1cb\x1fc'.split(), 'a\xa0b\u2028c\u200bd'.split())
print(''.split(), ''.split(','), 'x,'.split(','), ',x'.rsplit(',', 1), 'a,,b'.split(','), 'aaa'.split('a'), 'aXbXc'.rsplit('X', 1))
import sys
for x in [s.split(), ''.split(','), 'a'.split('::'), 'a b'.split(), 'a,b,c,d,e,f,g,h,i,j,k,l,m,n'.split(','), 'a b'.split(None, 30), 'a b'.rsplit(None, 3)]:
    print(sys.getsizeof(x), end=' ')
print()
b = b''.join([b'ab', b'cd'])
print(b.split()[0] is b, b.split(b',')[0] is b, b'a b  c'.split(), b'a,b'.split(b','), b'x'.split(b'::'), [sys.getsizeof(x) for x in [b.split(), b'a b'.split(None, 1), b''.split()]])
