# Up to 3.10 a class body runs in a frame object like a function's: it takes one from the frame free
# list (or allocates it) and keeps it as its code's zombie frame.
import gc
gc.disable()
class W:  # the first class statement may set up more (3.14+)
    pass
c = [0] * 8
c[0] = gc.get_count()[0]
class C:
    pass
c[1] = gc.get_count()[0]
def a(): return 1
def b(): return 2
def d(): return 3
def e(): return 4
c[2] = gc.get_count()[0]
a()
c[3] = gc.get_count()[0]
b()
c[4] = gc.get_count()[0]
d()
c[5] = gc.get_count()[0]
e()
c[6] = gc.get_count()[0]
print([c[i + 1] - c[i] for i in range(6)])
