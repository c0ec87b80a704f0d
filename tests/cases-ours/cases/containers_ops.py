l = [5, 3, 8, 1]
l.sort()
print(l, sorted([3, 1, 2], reverse=True), sorted(['b', 'A', 'c'], key=str.lower) if False else sorted(['b', 'a', 'c']))
print(l[1:3], l[::-1], l[-2:], l[::2], [1, 2] + [3], [0] * 3, 2 in l, 9 not in l)
t = (1, 2, 3)
a, *rest = t
print(a, rest, t[1:], t + (4,), t * 2, t.index(2), t.count(3), len(t))
d = {'b': 2, 'a': 1}
d['c'] = 3
del d['b']
print(d, list(d), sorted(d.items()), d.get('z', 0), 'a' in d, len(d))
s = {3, 1, 2}
s.add(10)
s.discard(1)
print(s, s | {99}, s & {2, 3}, s - {2}, sorted(s), len(s), 10 in s)
print(list(range(10, 0, -3)), list(enumerate('xy', 1)), list(zip('ab', [1, 2, 3])), list(map(abs, [-1, 2])))
print(list(filter(None, [0, 1, '', 'a'])), any([0, 0]), all([]), sum([1.5, 2]), max('abc'), min([3, 1], default=0))
m = [[0] * 2 for _ in range(2)]
m[0][1] = 5
print(m, [x * y for x in range(3) for y in range(2) if x], {x: x * x for x in range(4)}, {c for c in 'hello'})
