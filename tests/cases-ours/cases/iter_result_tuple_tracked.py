import gc
gc.disable()
def cached_tracked(it):
    return [gc.is_tracked(r) for r in gc.get_referents(it) if type(r) is tuple and not any('iter' in type(x).__name__ for x in r)][0]
def cached_id(it):
    return [id(r) for r in gc.get_referents(it) if type(r) is tuple and not any('iter' in type(x).__name__ for x in r)][0]
def run(name, it):
    r = [name, ('create', cached_tracked(it))]
    cid = cached_id(it)
    t = next(it); r.append(('1st', id(t) == cid, gc.is_tracked(t))); del t
    gc.collect()
    r.append(('collected', cached_tracked(it)))
    t = next(it); r.append(('2nd', id(t) == cid, gc.is_tracked(t))); del t
    gc.collect()
    t = next(it); r.append(('3rd-after-collect', id(t) == cid, gc.is_tracked(t)))
    t2 = next(it); r.append(('4th-held', id(t2) == cid, gc.is_tracked(t2)))
    del t, t2
    gc.collect()
    r.append(('end', cached_tracked(it)))
    print(r)
L = [1, 2, 3, 4, 5, 6]
run('enum', enumerate(L))
run('zip', zip(L, L))
run('items', iter({1: 2, 3: 4, 5: 6, 7: 8, 9: 10}.items()))
L2 = [[1], [2], [3], [4], [5], [6]]
run('enum-gcitems', enumerate(L2))
