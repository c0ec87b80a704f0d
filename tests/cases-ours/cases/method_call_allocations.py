# What a method call allocates once the free lists are empty: the argument tuple (and keyword dict)
# of METH_VARARGS methods (str/bytes/bytearray find, count, startswith... until 3.13; set.update,
# union, intersection, difference until 3.14; dict.update and str.format always; dict.pop in 3.7),
# the bound method a keyword call makes through 3.10, and the __length_hint__ lookups of iterators.
import gc
gc.disable()
s = 'abcabc'; b = b'abcabc'; L = [1, 2, 3]; d = {1: 2}; S = {1, 2}; S2 = {2}; T = (1, 2); ba = bytearray(b'abcabc')
def m(call):
    call()
    gc.collect()
    c0 = gc.get_count()[0]; c1 = gc.get_count()[0]
    r = call()
    c2 = gc.get_count()[0]
    return c2 - c1
tests = [
 ('str.startswith', lambda: s.startswith('a')), ('str.endswith', lambda: s.endswith('c')),
 ('str.find', lambda: s.find('b')), ('str.rfind', lambda: s.rfind('b')), ('str.index', lambda: s.index('b')),
 ('str.count', lambda: s.count('b')), ('str.replace', lambda: s.replace('a', 'z')), ('str.strip', lambda: s.strip('a')),
 ('str.center', lambda: s.center(10)), ('str.zfill', lambda: s.zfill(10)), ('str.encode', lambda: s.encode()),
 ('str.join', lambda: s.join('xy')), ('str.join-list', lambda: s.join(['x', 'y'])), ('str.upper', lambda: s.upper()),
 ('str.partition', lambda: s.partition('b')), ('str.format', lambda: '{}'.format(1)), ('str.format0', lambda: 'x'.format()),
 ('bytes.startswith', lambda: b.startswith(b'a')), ('bytes.find', lambda: b.find(b'b')), ('bytes.count', lambda: b.count(b'b')),
 ('bytes.replace', lambda: b.replace(b'a', b'z')), ('bytes.decode', lambda: b.decode()), ('bytes.hex', lambda: b.hex()),
 ('bytes.join', lambda: b.join(iter([b'x', b'y']))),
 ('ba.find', lambda: ba.find(b'b')), ('ba.count', lambda: ba.count(b'b')), ('ba.startswith', lambda: ba.startswith(b'a')),
 ('list.index', lambda: L.index(2)), ('list.count', lambda: L.count(2)), ('list.insert', lambda: (L.insert(0, 9), L.pop(0))),
 ('list.pop', lambda: (L.append(5), L.pop())), ('list.sort', lambda: L.sort()), ('list.sort-kw', lambda: L.sort(reverse=False)),
 ('list.reverse', lambda: L.reverse()), ('list.extend-it', lambda: [].extend(iter([1]))),
 ('tuple.index', lambda: T.index(2)), ('tuple.count', lambda: T.count(2)),
 ('dict.get', lambda: d.get(1)), ('dict.get2', lambda: d.get(5, 0)), ('dict.setdefault', lambda: d.setdefault(1, 3)),
 ('dict.pop', lambda: (d.update({7: 1}), d.pop(7))), ('dict.pop2', lambda: d.pop(8, 0)), ('dict.update', lambda: d.update({1: 2})),
 ('dict.update-kw', lambda: d.update(a=1)), ('dict.fromkeys', lambda: dict.fromkeys('a')), ('dict.items', lambda: d.items()),
 ('set.add', lambda: S.add(1)), ('set.discard', lambda: S.discard(9)), ('set.update', lambda: S.update([1])),
 ('set.union', lambda: S.union(S2)), ('set.intersection', lambda: S.intersection(S2)), ('set.difference', lambda: S.difference(S2)),
 ('set.symdiff', lambda: S.symmetric_difference(S2)), ('set.issubset', lambda: S.issubset(S)),
 ('list-it', lambda: list(iter([1]))), ('list-gen', lambda: list(x for x in [1])), ('tuple-it', lambda: tuple(iter([1]))),
]
for name, call in tests:
    print(name, m(call))
