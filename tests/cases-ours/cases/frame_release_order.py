# When a call returns: through 3.10 the frame clears its locals first to last and the caller then pops
# the arguments it pushed, last first; 3.11-3.13 clear the frame (which took the arguments) first to
# last; 3.14+ clear it from the top of the stack down (last local first).
class D:
    def __init__(s, n): s.n = n
    def __del__(s): print('del', s.n)
def f():
    a = D('a'); b = D('b'); c = D('c')
f()
def g(x, y):
    z = D('z')
g(D('x'), D('y'))
def h(p, q=None):
    r = D('r')
    s = D('s')
    return 1
print(h(D('p'), D('q')))
def k():
    u = D('u')
    v = D('v')
    def inner():
        return u
    return 0
k()
print(len([D(1), D(2)]))
g(D('x2'), y=D('y2'))
g(y=D('y3'), x=D('x3'))
def m(*args, **kw):
    w = D('w')
m(D('m1'), D('m2'), k=D('m3'))
print(max(D(5).n, D(6).n))
