# 3.12+: a collection is scheduled when an allocation passes the threshold and runs at the next
# eval-breaker check only if a generation is still over its threshold; an explicit gc.collect() in
# between leaves nothing to do. (3.14.0-3.14.4's increments leave get_count()[1] at 0.)
import gc
gc.set_threshold(5)
gc.collect()
a = []; b = []; c = []; d = []; e = []; f = []
gc.collect()
x = gc.get_count()
gc.set_threshold(700, 10, 10)
print(x)
