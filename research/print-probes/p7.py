import gc, sys
r = [0]*20
g = gc.get_count
e = sys.stderr
s = "hello" + str(len(r))
t = "world" + str(len(r))
gc.collect(); g()
r[0] = g()[0]
print(s, file=e)
r[1] = g()[0]
rc1 = sys.getrefcount(s)
print(t, file=e)
r[2] = g()[0]
rc2 = sys.getrefcount(t)
print("zz", file=e)
r[3] = g()[0]
sys.stdout.flush()
print("stderr line_buffering", e.line_buffering, "write_through", e.write_through, "stdout lb", sys.stdout.line_buffering, sys.stdout.write_through)
print("deltas", [r[i+1]-r[i] for i in range(3)], "refcounts after print(s,file=stderr)", rc1, rc2, "baseline", sys.getrefcount(s))
