# list() and dict() allocate through tp_alloc and never take the free lists' memory;
# [] / {} / copies / sorted() / dict.fromkeys' own dict() call do as CPython does.
import sys
r = [None] * 12
a = []
i = id(a)
del a
b = list()
r[0] = id(b) == i
del b
c = []
r[1] = id(c) == i
x = [1]
r[2] = id(x) == i
d = {}
j = id(d)
del d
e = dict()
r[3] = id(e) == j
del e
f = {}
r[4] = id(f) == j
g = {'k': 1}
r[5] = id(g) == j
del f
h = dict.fromkeys('ab')
r[6] = id(h) == j
del x
s = sorted((3, 1, 2))
r[7] = id(s) == i
del s
y = list((1, 2))
r[8] = id(y) == i
t = [1, 2].copy()
r[9] = id(t) == i
print(r[:10])
for n in range(0, 12):
    d = {i: i for i in range(n)}
    s = set(range(n))
    print(n, sys.getsizeof(dict.fromkeys(d)), sys.getsizeof(dict.fromkeys(s)), sys.getsizeof(dict.fromkeys(frozenset(s))), sys.getsizeof(dict.fromkeys(list(range(n)))), sys.getsizeof(dict.fromkeys([str(i) for i in range(n)])), sys.getsizeof(dict.fromkeys({str(i): 0 for i in range(n)})))
