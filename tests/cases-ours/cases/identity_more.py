a = 10
b = 5 + 5
print(a is b)
x = 1000
y = 999 + 1
print(x == y)
def f():
    return 1000
def g():
    return 1000
print(f() is g())
s = 'spam'
t = 'sp' + 'am'
print(s is t)
u = ''.join(['sp', 'am'])
print(s is u, s == u)
e1 = ()
e2 = tuple([])
e3 = tuple()
print(e1 is e2, e1 is e3)
f1 = frozenset()
f2 = frozenset([])
print(f1 is f2)
n1 = None
print(n1 is None, type(None) is type(n1))
l1 = []
l2 = []
print(l1 is l2, l1 == l2)
t1 = (1, 'a')
t2 = (1, 'a')
print(t1 is t2)
def h():
    return (1, 'a')
print(h() is t1)
