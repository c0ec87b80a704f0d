# set | and set.union: set_copy then set_update_internal, each a set_merge that resizes for the incoming
# entries before inserting them (so the result is larger than the same items added one by one).
import sys
a = set(range(10)); b = set(range(5, 15))
print(sys.getsizeof(a), sys.getsizeof(b))
print(sys.getsizeof(a | b), sys.getsizeof(a.union(b)), sys.getsizeof(a & b), sys.getsizeof(a - b), sys.getsizeof(a ^ b))
c = set(a); c.update(b); print(sys.getsizeof(c))
print(sys.getsizeof(set(a)), sys.getsizeof(frozenset(a)), sys.getsizeof(a.copy()))
d = set(); d |= a; print(sys.getsizeof(d))
e = set(range(3)); e.update(range(10)); print(sys.getsizeof(e))
f = set(range(3)); f.update({i: i for i in range(10)}); print(sys.getsizeof(f))
print(sys.getsizeof(a.symmetric_difference(b)), sys.getsizeof(a.intersection(b)), sys.getsizeof(a.difference(b)))
print(sys.getsizeof(set('hello world')), sys.getsizeof(set([1,2,3]*5)))
x = {'apple', 'pear', 'fig', 'kiwi', 'plum', 'lime'}
y = {'fig', 'lime', 'date'}
print(sorted(x | y) == sorted(y | x), sys.getsizeof(x | y), sys.getsizeof(y | x), sys.getsizeof(frozenset(x) | y))
