import sys
x = object()
print(sys.getrefcount(x))
def one(a):
    return sys.getrefcount(a)
def two(a):
    b = a
    c = [a]
    return sys.getrefcount(a)
print(one(x), two(x))
def closure():
    v = object()
    def inner():
        return v
    return sys.getrefcount(v)
print(closure())
class K:
    def m(self):
        return sys.getrefcount(self)
k = K()
print(k.m(), sys.getrefcount(k))
items = [object() for _ in range(3)]
print([sys.getrefcount(i) for i in items])
for it in items:
    pass
print(sys.getrefcount(items[0]), sys.getrefcount(items[2]))
d = {}
key = 'kkk' + str(1)
d[key] = x
print(sys.getrefcount(key), sys.getrefcount(x))
print(sys.getrefcount(None) > 100, sys.getrefcount(1) > 10)
