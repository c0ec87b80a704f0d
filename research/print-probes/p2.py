import gc, sys
g = gc.get_count
R = []
S = []
gc.collect()
B = set(map(id, gc.get_objects()))
c0 = g()[0]
print("x")
c1 = g()[0]
R.append(("print x", c1 - c0)); S.append([o for o in gc.get_objects() if id(o) not in B])
gc.collect()
B = set(map(id, gc.get_objects()))
c0 = g()[0]
print("y")
c1 = g()[0]
R.append(("print y", c1 - c0)); S.append([o for o in gc.get_objects() if id(o) not in B])
gc.collect()
B = set(map(id, gc.get_objects()))
c0 = g()[0]
print("a", "b")
c1 = g()[0]
R.append(("print a b", c1 - c0)); S.append([o for o in gc.get_objects() if id(o) not in B])
gc.collect()
B = set(map(id, gc.get_objects()))
c0 = g()[0]
print("c", "d", "e")
c1 = g()[0]
R.append(("print c d e", c1 - c0)); S.append([o for o in gc.get_objects() if id(o) not in B])
t = (1, 2)
gc.collect()
B = set(map(id, gc.get_objects()))
c0 = g()[0]
x = repr(t)
c1 = g()[0]
R.append(("repr tuple", c1 - c0)); S.append([o for o in gc.get_objects() if id(o) not in B])
gc.collect()
B = set(map(id, gc.get_objects()))
c0 = g()[0]
x = repr(t)
c1 = g()[0]
R.append(("repr tuple 2", c1 - c0)); S.append([o for o in gc.get_objects() if id(o) not in B])
sys.stdout.flush()
for (l, d), s in zip(R, S):
    s = [o for o in s if o is not B and o is not S and not (type(o) is list and o in S)]
    print(l, d, [(type(o).__name__, repr(o)[:70]) for o in s])
