import gc, sys
d = sys._debugmallocstats
gc.collect()
sys.stderr.write("--A after collect\n"); sys.stderr.flush(); d()
print("x")
sys.stderr.write("--B after print x\n"); sys.stderr.flush(); d()
print("a", "b")
sys.stderr.write("--C after print a b\n"); sys.stderr.flush(); d()
