# reversed(): list_reverseiterator for a list, range iterators for a range, dict reverse iterators
# (3.8+), a `reversed` object reading any other sequence back through its items, and the errors.
import sys
class S:
    def __len__(self): return 3
    def __getitem__(self, i): return i * 10
class Short:
    def __len__(self): return 5
    def __getitem__(self, i):
        if i > 2: raise IndexError(i)
        return i
class R:
    def __reversed__(self): return iter([9, 8])
class No:
    __reversed__ = None
    def __getitem__(self, i): return i
d = {1: 'a', 2: 'b', 3: 'c'}
for x in [[1, 2], (1, 2), 'ab', b'ab', bytearray(b'ab'), range(3), range(0, 10, 3), d, d.keys(), d.values(), d.items(), S(), Short(), R()]:
    try:
        r = reversed(x)
        print(type(r).__name__, sys.getsizeof(r), r.__length_hint__() if hasattr(r, '__length_hint__') else '-', list(r))
    except TypeError as e:
        print('TypeError', e)
for x in [{1, 2}, (i for i in range(2)), 5, None, No(), frozenset()]:
    try:
        r = reversed(x)
        print(type(r).__name__, list(r))
    except TypeError as e:
        print('TypeError', e)
L = [1, 2, 3]
r = reversed(L)
print(r.__length_hint__(), next(r), r.__length_hint__(), sys.getrefcount(L))
L.append(4)
print(list(r), r.__length_hint__(), sys.getrefcount(L))
L2 = [5, 6, 7]
r = reversed(L2)
next(r)
del L2[:]
print(r.__length_hint__(), list(r))
t = (1, 2, 3)
r = reversed(t)
print(next(r), sys.getrefcount(t), list(r), sys.getrefcount(t))
try:
    e = {1: 2, 3: 4}
    r = reversed(e)
    print(next(r))
    e[5] = 6
    print(next(r))
except (RuntimeError, TypeError) as ex:
    print(type(ex).__name__, ex)
it = iter([1, 2, 3]); next(it)
print(it.__length_hint__(), iter('abc').__length_hint__(), iter(range(10)).__length_hint__(), iter({1: 2}).__length_hint__(), iter({1, 2}).__length_hint__())
