import gc
gc.collect()
class A: pass
del A
print(gc.collect())
class B:
    def m(self): pass
del B
print(gc.collect())
class C:
    __slots__ = ('x',)
del C
print(gc.collect())
class D:
    x = 1
    def __init__(self): self.y = 2
d = D()
del D
print(gc.collect())
del d
print(gc.collect())
class E: pass
class F(E): pass
del E, F
print(gc.collect())
class G:
    __slots__ = ()
del G
print(gc.collect())
class P: pass
class R(P): pass
del R
print(gc.collect())
del P
print(gc.collect())
gc.set_debug(gc.DEBUG_SAVEALL)
class K: pass
del K
print(gc.collect(), sorted(type(o).__name__ for o in gc.garbage))
