import sys
rc = sys.getrefcount
def f():
    o1, o2, p1 = object(), object(), object()
    a = [o1, o2]; b = [p1]
    z = zip(a, b)
    for x, y in z:
        pass
    del x, y
    print('after loop, zip alive: o1', rc(o1), 'o2', rc(o2), 'p1', rc(p1))
    del z
    print('zip freed:              o1', rc(o1), 'o2', rc(o2), 'p1', rc(p1))
f()
