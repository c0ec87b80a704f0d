import sys
P = 8 if sys.maxsize > 2**32 else 4
B = sys.getsizeof([])
def s(l):
    return '%d/%d' % (len(l), (sys.getsizeof(l) - B) // P)
def gen(n):
    return (i for i in range(n))
def srcs(n):
    d = {i: i for i in range(n)}
    return [('list', list(range(n))), ('tuple', tuple(range(n))), ('str', 'x' * n), ('range', range(n)),
            ('gen', gen(n)), ('dict', d), ('set', set(range(n))), ('keys', d.keys()), ('iter', iter(list(range(n))))]
NS = [1, 2, 3, 4, 5, 6, 8, 9, 10, 13, 17, 20, 30]
names = [k for k, v in srcs(1)]
for name in names:
    out = []
    for n in NS:
        a, *rest = dict(srcs(n))[name]
        out.append(s(rest))
    print('a,*r', name, ' '.join(out))
for name in names:
    out = []
    for n in NS:
        *rest, a = dict(srcs(n))[name]
        out.append(s(rest))
    print('*r,a', name, ' '.join(out))
for name in names:
    out = []
    for n in NS[1:]:
        a, *rest, b = dict(srcs(n))[name]
        out.append(s(rest))
    print('a,*r,b', name, ' '.join(out))
for name in names:
    out = []
    for n in [0] + NS:
        *rest, = dict(srcs(n))[name]
        out.append(s(rest))
    print('*r,', name, ' '.join(out))
# in a for loop target
out = []
for a, *rest in [(1, 2, 3), [1, 2, 3, 4, 5]]:
    out.append(s(rest))
print('for', ' '.join(out))
