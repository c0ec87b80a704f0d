import sys
d = {}
sizes = []
for i in range(12):
    d['key%d' % i] = i
    sizes.append(sys.getsizeof(d))
for i in range(6):
    del d['key%d' % i]
sizes.append(sys.getsizeof(d))
for i in range(12, 20):
    d['key%d' % i] = i
    sizes.append(sys.getsizeof(d))
print(sizes)
e = {1: 'a'}
e['s'] = 2
print(sys.getsizeof(e), sys.getsizeof({'a': 1, 2: 'b'}), sys.getsizeof({(1, 2): 3}))
f = dict.fromkeys('abcdefghijk')
print(sys.getsizeof(f), sys.getsizeof(f.copy()), sys.getsizeof(dict(f)))
for k in 'abcdefgh':
    del f[k]
print(sys.getsizeof(f), sys.getsizeof(f.copy()), sys.getsizeof(dict(f)), len(f))
g = {i: i for i in range(30)}
g.clear()
print(sys.getsizeof(g))
g.update({1: 1})
print(sys.getsizeof(g), g)
print(d.pop('key19'), d.setdefault('z', 0), list(d)[:3], d.get('nope'))
