import sys
a = 1000
b = a
print(sys.getrefcount(a))
def f():
    o = object()
    return sys.getrefcount(o)
print(f())
