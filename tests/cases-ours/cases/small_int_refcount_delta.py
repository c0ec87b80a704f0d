import sys
n = 7
before = sys.getrefcount(n)
m = n
print(sys.getrefcount(n) - before)
x = 1000
before = sys.getrefcount(x)
y = x
print(sys.getrefcount(x) - before)
def f():
    o = object()
    return sys.getrefcount(o)
print(f())
