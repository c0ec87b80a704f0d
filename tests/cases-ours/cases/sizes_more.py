import sys
print(sys.getsizeof(range(5)), sys.getsizeof(slice(1, 2)), sys.getsizeof(3j), sys.getsizeof(object()))
print(sys.getsizeof([None] * 100), sys.getsizeof(list(range(100))), sys.getsizeof([i for i in range(100)]))
print(sys.getsizeof(tuple(range(100))), sys.getsizeof(set(range(100))), sys.getsizeof(frozenset('abcdef')))
print(sys.getsizeof({i: i for i in range(100)}), sys.getsizeof({str(i): i for i in range(100)}))
print(sys.getsizeof('x' * 1000), sys.getsizeof(b'x' * 1000), sys.getsizeof(bytearray(b'x' * 100)))
print(sys.getsizeof(2 ** 100), sys.getsizeof(-2 ** 100), sys.getsizeof(10 ** 30))
def f():
    pass
print(sys.getsizeof(f), sys.getsizeof(''.join(['a', 'é'])), sys.getsizeof('\u4e2d\u6587'))
l = []
l.extend(range(17))
print(sys.getsizeof(l))
l2 = [1, 2, 3]
l2[1:2] = [7, 8, 9, 10]
print(l2, sys.getsizeof(l2))
d = {}
for k in range(10):
    d[k] = k
for k in range(10):
    del d[k]
d['new'] = 1
print(sys.getsizeof(d))
s = set()
for k in range(10):
    s.add(k)
s.clear()
print(sys.getsizeof(s))
