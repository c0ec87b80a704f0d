import sys
P = 8 if sys.maxsize > 2**32 else 4
B = sys.getsizeof([])
def s(l):
    return '%d/%d' % (len(l), (sys.getsizeof(l) - B) // P)
# whitespace split, no maxsplit: string length L
out = []
for t in ['', ' ', 'a', 'ab', 'a b', 'abc', 'a b c', 'abcdefgh', '  a  ', 'a b c d', 'a b c d e f', 'a b c d e f g h i j k', 'a b c d e f g h i j k l', 'a b c d e f g h i j k l m', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa b']:
    out.append(s(t.split()))
print('ws', ' '.join(out))
# 13..40 words
out = []
for n in [12, 13, 16, 20, 21, 24, 28, 29, 30, 37, 40, 50]:
    out.append(s(' '.join(['w'] * n).split()))
print('wsN', ' '.join(out))
# whitespace with maxsplit
out = []
for t, k in [('a b c', 0), ('a b c', 1), ('a b c', 5), ('a b c', 11), ('a b c', 12), ('a b c', 100), ('abc', 1), ('', 3), ('a b c d e f g h i j k l m n o', 20), ('a b c d e f g h i j k l m n o', 12), ('a b c d e f g h i j k l m n o', 11)]:
    out.append(s(t.split(None, k)))
print('wsK', ' '.join(out))
# single-char sep
out = []
for t in ['', 'a', ',', 'a,b', 'a,b,c', 'abc', 'abcdef', ',,,', 'a,b,c,d,e,f,g,h,i,j,k', 'a,b,c,d,e,f,g,h,i,j,k,l', 'a,b,c,d,e,f,g,h,i,j,k,l,m']:
    out.append(s(t.split(',')))
print('ch', ' '.join(out))
out = []
for n in [12, 13, 16, 20, 21, 24, 28, 29, 30, 37, 40, 50]:
    out.append(s(','.join(['w'] * n).split(',')))
print('chN', ' '.join(out))
# multi-char sep
out = []
for t in ['', 'a', 'ab', 'a::b', 'a::b::c', 'abcdefgh', 'a::', '::::', 'x' * 30, 'a::b::c::d::e::f::g::h::i::j::k::l::m']:
    out.append(s(t.split('::')))
print('mc', ' '.join(out))
# sep longer than string / not found
out = []
for t, sep in [('a', 'abc'), ('ab', 'abc'), ('abc', 'abcd'), ('abc', 'x'), ('abcdefgh', 'xy'), ('', 'x')]:
    out.append(s(t.split(sep)))
print('nf', ' '.join(out))
# sep with maxsplit
out = []
for t, k in [('a,b,c', 0), ('a,b,c', 1), ('a,b,c', 2), ('a,b,c', 11), ('a,b,c', 12), ('a,b,c', 50), (',' * 20, 15), (',' * 20, 11)]:
    out.append(s(t.split(',', k)))
print('chK', ' '.join(out))
# non-ascii (ucs1/ucs2/ucs4) strings
out = []
for t in ['\xe9 \xe9', '\u20ac \u20ac \u20ac', '\U0001f600,\U0001f600', 'a\u3000b']:
    out.append(s(t.split()))
    out.append(s(t.split(',')))
print('uni', ' '.join(out))
# keyword maxsplit
print('kw', s('a b c d'.split(maxsplit=1)), s('a,b,c,d'.split(sep=',', maxsplit=2)), s('a b c d'.split(maxsplit=-1)), s('a,b'.split(',', -5)))
