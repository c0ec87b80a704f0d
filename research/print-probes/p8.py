import gc, sys
r = [0]*20
g = gc.get_count
o = sys.stdout
gc.collect(); g()
B = set(map(id, gc.get_objects()))
g()
r[0] = g()[0]
print("x", file=o)
r[1] = g()[0]
N = [x for x in gc.get_objects() if id(x) not in B and x is not B]
sys.stdout.flush()
print("delta", r[1]-r[0], [(type(x).__name__, x if type(x) is tuple else '') for x in N])
