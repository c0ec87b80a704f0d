# Free lists beyond the classic ones: bound methods and builtin methods (3.7-3.8, 3.14+), list and
# tuple iterators (3.14+), the one cached slice (all): how many of M frees were kept (a free kept on a
# free list is not counted off generation 0), and how many of M creations were new (the rest came
# from what the free list held when the program started).
import gc
gc.disable()
class C:
    def f(self): pass
o = C(); L = [1, 2]; T = (1, 2); n = 7
def probe(name, make, M):
    keep = [None] * M
    c0 = gc.get_count()[0]
    i = 0
    while i < M:
        keep[i] = make()
        i += 1
    c1 = gc.get_count()[0]
    c2 = gc.get_count()[0]
    i = 0
    while i < M:
        keep[i] = None
        i += 1
    c3 = gc.get_count()[0]
    # What the builtin-method list holds at first depends on the imports (each module function is
    # one), so only its capacity is shown.
    new = c1 - c0 if name != 'cfunc' else '-'
    print(name, type(make()).__name__, 'new', new, 'kept', M + (c3 - c2))
probe('method', lambda: o.f, 300)
probe('cfunc', lambda: L.append, 300)
probe('listiter', lambda: iter(L), 40)
probe('tupleiter', lambda: iter(T), 40)
probe('slice', lambda: slice(n), 40)
