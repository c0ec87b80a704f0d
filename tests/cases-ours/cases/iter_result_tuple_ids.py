import sys, gc
def lab(ids):
    m = {}
    return [m.setdefault(i, len(m)) for i in ids]
L = [object() for _ in range(6)]
R = list(L)
d = {i: o for i, o in enumerate(L)}
ids = []
for t in enumerate(L):
    ids.append(id(t))
print('enum keep', lab(ids))
ids = []
for t in enumerate(L):
    ids.append(id(t)); del t
print('enum del', lab(ids))
ids = []
for t in zip(L, R):
    ids.append(id(t))
print('zip keep', lab(ids))
ids = []
for t in d.items():
    ids.append(id(t))
print('items keep', lab(ids))
ids = []
e = enumerate(L)
for t in e:
    ids.append(id(t))
print('enum named keep', lab(ids))
ts = list(enumerate(L))
print('list distinct', len(set(map(id, ts))))
