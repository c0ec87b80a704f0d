d = {}
s = set()
def setitem():
    d[[]] = 1
tests = [setitem, lambda: {[]: 1}, lambda: d[[]], lambda: [] in d, lambda: d.get([]), lambda: d.pop([], 0), lambda: d.setdefault([], 1),
         lambda: s.add([]), lambda: {[]}, lambda: [] in s, lambda: s.discard([]), lambda: s.remove([]), lambda: set([[]]), lambda: frozenset([[]]), lambda: hash([]),
         lambda: dict.fromkeys([[]]), lambda: {{}: 1}, lambda: d.update({1: 2}) or d.update([([], 1)])]
for t in tests:
    try:
        t()
        print('ok')
    except TypeError as e:
        print(e)
try:
    'abc' * 'x'
except TypeError as e:
    print(e)
try:
    2.5 * [1]
except TypeError as e:
    print(e)
try:
    (1,) * None
except TypeError as e:
    print(e)
try:
    b'x' * 1.0
except TypeError as e:
    print(e)
