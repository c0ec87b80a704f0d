# Constants the compiler folds (tuples, -x, a op b, `in`/`for` over a display) are held by the parser's
# AST arena through 3.13 (ast_opt's make_const) as well as by co_consts; from 3.14 the code generator
# folds them and only literals stay arena-held. A value the compiler met first as its own tuple
# (a dict display's constant keys, a folded list display) is that object instead.
import sys
import gc
t = (1, 2)
print(sys.getrefcount(t))
n = (1, (2, 3))
print(sys.getrefcount(n), sys.getrefcount(n[1]))
m = (7, 5000, -5000, 2.5, 3 * (1,))
print([sys.getrefcount(x) for x in m][1:])
x = -5001
y = 1000 * 3
z = b'ab' * 3
w = 2 ** 70
print(sys.getrefcount(x), sys.getrefcount(y), sys.getrefcount(z), sys.getrefcount(w))
def f():
    return (4, (5, 6))
print(sys.getrefcount(f()), sys.getrefcount(f()[1]))
d = {10: 'a', 20: 'b', 30: 'c'}
k = (10, 20, 30)
print(sys.getrefcount(k))
L = [41, 42, 43]
u = (41, 42, 43)
print(sys.getrefcount(u))
for q in (8, (9, 10)):
    pass
print(sys.getrefcount(q))
gc.collect()
