import gc
gc.disable()
r = []
for t in enumerate([1, 2, 3, 4]):
    r.append(gc.is_tracked(t))
print('enum held', r)
r = []
for t in enumerate([1, 2, 3, 4]):
    gc.collect()
    r.append(gc.is_tracked(t))
    del t
print('enum collect-each', r)
r = []
for k, v in {1: 2, 3: 4}.items():
    r.append(k)
print('items', r)
r = []
for t in {1: 2, 3: 4, 5: 6}.items():
    r.append(gc.is_tracked(t))
print('items held', r)
r = []
for t in zip([1, 2, 3], [4, 5, 6]):
    r.append(gc.is_tracked(t))
print('zip held', r)
