x = 1.5 * 2
i = id(x)
del x
y = 2.5 * 3
print(id(y) == i)
t = (1, 2, [3])
j = id(t)
del t
u = (4, 5, [6])
print(id(u) == j)
l = [1.0 * k for k in range(3)]
ids = [id(v) for v in l]
del l
a = 7.0 * 1
b = 8.0 * 1
c = 9.0 * 1
print([id(a), id(b), id(c)] == ids)
d = {'k': 1}
dd = id(d)
del d
e = {}
print(id(e) == dd)
s1 = 'abc' * 3
k1 = id(s1)
del s1
s2 = 'xyz' * 3
print(id(s2) == k1)
