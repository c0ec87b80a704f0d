import gc, sys
res = []
def diff(label, fn):
    gc.collect()
    before = gc.get_objects()
    bids = set(map(id, before))
    c0 = gc.get_count()[0]
    fn()
    c1 = gc.get_count()[0]
    after = gc.get_objects()
    new = [o for o in after if id(o) not in bids and o is not before and o is not bids]
    res.append((label, c1-c0, [(type(o).__name__, repr(o)[:80]) for o in new]))
    del before, bids, after
def f1(): print("x")
def f2(): print("y")
def f3(): print("a","b")
def f4(): repr((1,2))
def f5(): repr([1,2])
diff("print x", f1)
diff("print y", f2)
diff("print a b", f3)
diff("repr tuple", f4)
diff("repr list", f5)
sys.stdout.flush()
for r in res: print(r)
