import sys
P = 8 if sys.maxsize > 2**32 else 4
B = sys.getsizeof([])
T = sys.getsizeof(())
def s(l):
    return '%d/%d' % (len(l), (sys.getsizeof(l) - B) // P)
def t(x):
    return '%d/%d' % (len(x), (sys.getsizeof(x) - T) // P)
NS = [0, 1, 2, 3, 4, 5, 8, 9, 13, 17, 25, 33]
print('list(genexpr)', ' '.join(s(list(i for i in range(n))) for n in NS))
print('list(genexpr-if)', ' '.join(s(list(i for i in range(n) if i >= 0)) for n in NS))
print('list(nested genexpr)', ' '.join(s(list(i for j in [range(n)] for i in j)) for n in NS))
print('listcomp', ' '.join(s([i for i in range(n)]) for n in NS))
print('list(listcomp)', ' '.join(s(list([i for i in range(n)])) for n in NS))
print('tuple(genexpr)', ' '.join(t(tuple(i for i in range(n))) for n in NS))
print('sorted(genexpr)', ' '.join(s(sorted(i for i in range(n))) for n in NS))
print('[*genexpr]', ' '.join(s([*(i for i in range(n))]) for n in NS))
g = (i for i in range(5))
print('list(g var)', s(list(g)))
L = list
print('L(genexpr) alias', s(L(i for i in range(5))))
print('list(genexpr) in func', (lambda n: s(list(i for i in range(n))))(5))
def f(n):
    return list(x * 2 for x in range(n))
print('list(genexpr) def', ' '.join(s(f(n)) for n in NS))
def f2(n):
    return tuple(x for x in range(n))
print('tuple(genexpr) def', ' '.join(t(f2(n)) for n in NS))
# shadowed builtin
def f3():
    list = lambda g: [*g]
    return list(x for x in range(5))
print('shadowed', s(f3()))
print('set(genexpr)', sys.getsizeof(set(i for i in range(5))) - sys.getsizeof(set()))
print('all', all(i >= 0 for i in range(3)), any(i > 5 for i in range(3)))
