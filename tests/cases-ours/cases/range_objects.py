# range objects hold their start, stop, step and length ints; their iterators count in C longs
# (64-bit natively, 32 on Pyodide) or, past that, over int objects (longrange_iterator).
import sys
r = range(2, 10, 3)
print(r.start, r.stop, r.step, len(r), r[1], r[-1], r.index(5), r.count(5), r.count(6), 8 in r)
print(list(r[::-1]), r[1:], r[::2], r[5:], range(10)[-3:-1], range(0, -10, -2)[1:4])
print(r == range(2, 11, 3), range(0) == range(5, 5), range(1, 2, 5) == range(1, 3, 9), hash(r) == hash(range(2, 11, 3)))
n = 1000
a = sys.getrefcount(n)
r = range(n)
print(sys.getrefcount(n) - a, r.stop is n, sys.getsizeof(r))
del r
print(sys.getrefcount(n) - a)
try:
    range(1, 2, 0)
except ValueError as e:
    print('ValueError', e)
try:
    range(1.5)
except TypeError as e:
    print('TypeError', e)
try:
    range(3).index(7)
except ValueError as e:
    print('ValueError', e)
M = 2**63
for rg in [range(M - 3, M - 1), range(M - 1), range(-M, -M + 3), range(0, M - 1, 2), range(M - 1, 0, -1),
           range(-M + 2, -M, -1), range(0, M - 2, M // 2), range(2**70, 2**70 + 3), range(2**31 - 2, 2**31 + 1)]:
    it = iter(rg)
    rv = reversed(rg)
    print(type(it).__name__, sys.getsizeof(it), type(rv).__name__, it.__length_hint__(), next(it), next(rv))
big = 2**70
r = range(big, big + 5)
a = sys.getrefcount(big)
it = iter(r)
print(sys.getrefcount(big) - a)
x = next(it)
print(x == big, it.__length_hint__(), list(it))
