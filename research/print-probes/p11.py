import gc, sys
r = [0]*20
g = gc.get_count
t = (1, 2)
L = [3, 4]
s = "hello" + str(len(r))
gc.collect(); g()
r[0] = g()[0]
print("x")
r[1] = g()[0]
print("y")
r[2] = g()[0]
print("a", "b")
r[3] = g()[0]
x = repr(t)
r[4] = g()[0]
x = repr(L)
r[5] = g()[0]
d = sys.getrefcount(s)
print(s)
r[6] = g()[0]
d2 = sys.getrefcount(s)
gc.collect(); g()
r[7] = g()[0]
x = repr(t)
r[8] = g()[0]
print("q")
r[9] = g()[0]
sys.stdout.flush()
print("deltas print x, print y, print a b, repr tuple, repr list, print s:", [r[i+1]-r[i] for i in range(6)], "refcount s before/after print:", d, d2, "| after 2nd collect: repr tuple", r[8]-r[7], "print q", r[9]-r[8], "| lb", sys.stdout.line_buffering)
