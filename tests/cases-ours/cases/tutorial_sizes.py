import sys
a = []
t = ()
d = {}
s = set()
print(sys.getsizeof(a))
print(sys.getsizeof(t))
print(sys.getsizeof(d))
print(sys.getsizeof(s))
print(sys.getsizeof([1, 2, 3]))
print(sys.getsizeof((1, 2, 3, 4)))
