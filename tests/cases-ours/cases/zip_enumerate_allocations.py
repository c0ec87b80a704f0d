import gc
gc.collect(); gc.disable()
L = [1, 2]; R = [3, 4]
for _ in range(3): gc.get_count()
# 3.7 builds enumerate's argument-parser keyword tuple on its first call: warm it
enumerate(L)
# drain 2-tuple free list by holding many 2-tuples
hold = [(i, -i) for i in range(100)]
c0 = gc.get_count()[0]
z = zip(L, R)
c1 = gc.get_count()[0]
print('zip2 create', c1 - c0)
c0 = gc.get_count()[0]
z1 = zip(L)
c1 = gc.get_count()[0]
print('zip1 create', c1 - c0)
c0 = gc.get_count()[0]
e = enumerate(L)
c1 = gc.get_count()[0]
print('enum create', c1 - c0)
c0 = gc.get_count()[0]
t = next(z)
c1 = gc.get_count()[0]
print('zip next', c1 - c0)
