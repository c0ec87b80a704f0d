import sys
P = 8 if sys.maxsize > 2**32 else 4
B = sys.getsizeof([])
def s(l):
    return '%d/%d' % (len(l), (sys.getsizeof(l) - B) // P)
# spare-capacity lists built via split prealloc (12 slots, 1 used) -- except 3.12+ where cap differs
def mk():
    return 'a b'.split(' ', 20)   # PREALLOC 12 on all versions, len 2
w = mk(); r = [s(w)]
w.append(1); r.append(s(w))
print('append', ' '.join(r))
w = mk(); w.insert(0, 1); print('insert', s(w))
w = mk(); w.extend([1]); print('extend_list1', s(w))
w = mk(); w.extend((1,)); print('extend_tuple1', s(w))
w = mk(); w.extend(x for x in [1]); print('extend_gen1', s(w))
w = mk(); w += [1]; print('iadd1', s(w))
w = mk(); w[2:2] = [1]; print('slice_ins1', s(w))
w = mk(); w *= 2; print('imul2', s(w))
w = mk(); w.pop(); print('pop', s(w))
w = mk(); del w[0]; print('delidx', s(w))
w = mk(); del w[0:1]; print('delslice', s(w))
w = mk(); w.remove('a'); print('remove', s(w))
w = mk(); w[:] = [1]; print('sliceset1', s(w))
w = mk(); w.clear(); print('clear', s(w))
w = mk(); w.sort(); print('sort', s(w))
w = mk(); w.reverse(); print('reverse', s(w))
w = mk(); w[0] = 5; print('setitem', s(w))
# list comprehension appending into prealloc'd list
w = mk()
for i in range(3):
    w.append(i)
print('append3', s(w))
# list from list(gen) with spare (hint 8, 3 items -> even cap)
g = list(x for x in 'abc'); r = [s(g)]; g.append(1); r.append(s(g)); print('gen_append', ' '.join(r))
# list from [None]*16 shrunk by del idx
b = [None] * 16
r = []
while len(b) > 2:
    del b[0]
    r.append(s(b))
b.append(1); r.append(s(b))
print('del0_then_append', ' '.join(r))
b = [None] * 16
r = []
while len(b) > 2:
    b.pop(0)
    r.append(s(b))
b.append(1); r.append(s(b))
print('pop0_then_append', ' '.join(r))
b = [None] * 16
r = []
while len(b) > 2:
    del b[-1]
    r.append(s(b))
print('del_last', ' '.join(r))
b = [None] * 40
r = []
while len(b) > 1:
    del b[len(b)//2]
    r.append(s(b))
print('del_mid40', ' '.join(r))
b = [None] * 40
r = []
while len(b) > 1:
    b.pop()
    r.append(s(b))
print('pop40', ' '.join(r))
b = list(range(40))
r = []
while len(b) > 1:
    b.remove(b[0])
    r.append(s(b))
print('remove40', ' '.join(r))
b = [None] * 40
r = []
while len(b) > 1:
    del b[0:1]
    r.append(s(b))
print('delslice40', ' '.join(r))
