floats = [1.5 * k for k in range(1, 5)]
ids = [id(v) for v in floats]
del floats
a = 10.5 * 1
b = 20.5 * 1
c = 30.5 * 1
d = 40.5 * 1
print([ids.index(id(v)) if id(v) in ids else -1 for v in (a, b, c, d)])
t = (3.5 * 1, 4.5 * 1)
tid = [id(t[0]), id(t[1])]
del t
p = 7.5 * 1
q = 8.5 * 1
print([tid.index(id(v)) if id(v) in tid else -1 for v in (p, q)])
dd = {'x': 5.5 * 1, 'y': 6.5 * 1}
did = [id(dd['x']), id(dd['y'])]
del dd
r = 9.5 * 1
s = 11.5 * 1
print([did.index(id(v)) if id(v) in did else -1 for v in (r, s)])
