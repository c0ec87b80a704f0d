import sys
class A:
    pass
a = A()
print(sys.getrefcount(a))
l = [a] * 3
print(sys.getrefcount(a))
t = (a, a)
print(sys.getrefcount(a))
d = {1: a}
d[2] = a
print(sys.getrefcount(a))
del l, t
print(sys.getrefcount(a))
def f(x, y):
    z = x
    return sys.getrefcount(x)
print(f(a, a))
s = 'some text here'
print(sys.getrefcount(s) - sys.getrefcount('some text here'))
n = [1, 2]
m = n
k = [n, m]
print(sys.getrefcount(n), sys.getrefcount(k))
