import sys
P = 8 if sys.maxsize > 2**32 else 4
B = sys.getsizeof([])
def s(l):
    return '%d/%d' % (len(l), (sys.getsizeof(l) - B) // P)
def gen(n):
    return (i for i in range(n))
def srcs(n):
    d = {i: i for i in range(n)}
    return [('list', list(range(n))), ('tuple', tuple(range(n))), ('dict', d), ('keys', d.keys()), ('values', d.values()),
            ('items', d.items()), ('set', set(range(n))), ('fset', frozenset(range(n))), ('str', 'x' * n), ('range', range(n)),
            ('bytes', b'x' * n), ('gen', gen(n)), ('iter', iter(list(range(n)))), ('map', map(int, range(n))),
            ('rev', reversed(list(range(n)))), ('zip', zip(range(n))), ('enum', enumerate(range(n)))]
NS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 17, 25, 33]
names = [k for k, v in srcs(1)]
for op in ['list', 'star', 'sorted', 'extend_empty', 'extend_nonempty', 'iadd_empty']:
    for name in names:
        out = []
        for n in NS:
            src = dict(srcs(n))[name]
            if op == 'list':
                l = list(src)
            elif op == 'star':
                l = [*src]
            elif op == 'sorted':
                try:
                    l = sorted(src)
                except TypeError:
                    l = None
            elif op == 'extend_empty':
                l = []; l.extend(src)
            elif op == 'extend_nonempty':
                l = [0, 0]; l.extend(src)
            elif op == 'iadd_empty':
                l = []; l += src
            out.append('-' if l is None else s(l))
        print(op, name, ' '.join(out))
