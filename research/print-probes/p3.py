import gc, sys
gc.collect()
sys._debugmallocstats()
print("x")
sys._debugmallocstats()
