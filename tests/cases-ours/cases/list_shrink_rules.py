import sys
P = 8 if sys.maxsize > 2**32 else 4
B = sys.getsizeof([])
def al(l):
    return (sys.getsizeof(l) - B) // P
def trace(cap, op):
    l = [None] * cap
    out = []
    prev = al(l)
    while len(l) > 0:
        if op == 'pop':
            l.pop()
        elif op == 'pop0':
            l.pop(0)
        elif op == 'delidx':
            del l[-1]
        elif op == 'delslice':
            del l[-1:]
        elif op == 'remove':
            l.remove(None)
        a = al(l)
        if a != prev:
            out.append('%d:%d' % (len(l), a))
            prev = a
    return ' '.join(out) or '-'
for op in ['pop', 'pop0', 'delidx', 'delslice', 'remove']:
    for cap in [8, 16, 24, 32, 33, 36, 40, 64]:
        print(op, cap, trace(cap, op))
# shrinking by slice assignment to k items from cap
for cap in [16, 32, 33, 40]:
    out = []
    for k in [0, 1, 2, 4, 8, 15, 16]:
        l = [None] * cap
        l[:] = [0] * k
        out.append('%d/%d' % (len(l), al(l)))
    print('sliceassign', cap, ' '.join(out))
# extend-iter cutback: list(H(n, hint))
class H:
    def __init__(self, n, hint):
        self.n = n; self.hint = hint
    def __iter__(self):
        return iter(range(self.n))
    def __length_hint__(self):
        return self.hint
out = []
for n, h in [(0, 32), (1, 32), (0, 33), (1, 33), (16, 32), (15, 32), (16, 34), (16, 33), (0, 64), (20, 64)]:
    l = list(H(n, h))
    out.append('%d/%d' % (len(l), al(l)))
print('hintcut', ' '.join(out))
# nonempty extend from iterator with cutback
out = []
for cap, n, h in [(4, 1, 30), (4, 1, 40), (8, 0, 8), (2, 0, 8)]:
    l = [None] * cap
    l.extend(H(n, h))
    out.append('%d/%d' % (len(l), al(l)))
print('ext_hintcut', ' '.join(out))
# clear / del l[:] / l *= 0 always free
out = []
for cap in [8, 32]:
    l = [None] * cap; l.clear(); out.append(str(al(l)))
    l = [None] * cap; del l[:]; out.append(str(al(l)))
    l = [None] * cap; l *= 0; out.append(str(al(l)))
    l = [None] * cap; l[:] = []; out.append(str(al(l)))
    l = [None]; l.pop(); out.append(str(al(l)))
print('clear', ' '.join(out))
# insert / append after heavy deletion (small)
l = [None] * 32
del l[1:]
r = [al(l)]
l.insert(0, 1); r.append(al(l))
l.append(2); r.append(al(l))
print('after_del', r)
