import sys
rc = sys.getrefcount
def t_enum():
    L = [object(), object()]
    out = []
    for i, x in enumerate(L):
        out.append(rc(x))
    print('enum', out)
def t_zip_same():
    L = [object(), object()]
    out = []
    for a, b in zip(L, L):
        out.append(rc(a))
    print('zip-same', out)
def t_zip2():
    L = [object(), object()]; R = [object(), object()]
    out = []
    for a, b in zip(L, R):
        out.append((rc(a), rc(b)))
    print('zip2', out)
def t_zip3():
    L = [object(), object()]; R = [object(), object()]
    out = []
    for a, b, c in zip(L, R, R):
        out.append((rc(a), rc(b)))
    print('zip3', out)
def t_items():
    d = {object(): object(), object(): object()}
    out = []
    for k, v in d.items():
        out.append((rc(k), rc(v)))
    print('items', out)
def t_ritems():
    d = {object(): object(), object(): object()}
    out = []
    if sys.version_info >= (3, 8):
        for k, v in reversed(d.items()):
            out.append((rc(k), rc(v)))
    print('ritems', out)
def t_enum_t():
    L = [object(), object(), object()]
    out = []
    for t in enumerate(L):
        out.append((rc(t), rc(t[1])))
    print('enum-t', out)
def t_map():
    L = [object(), object()]
    out = []
    for x in map(lambda o: o, L):
        out.append(rc(x))
    print('map', out)
def t_rev():
    L = [object(), object()]
    out = []
    for x in reversed(L):
        out.append(rc(x))
    print('rev', out)
def t_after():
    L = [object(), object()]
    for i, x in enumerate(L):
        pass
    print('after', rc(L[0]), rc(L[1]))
for f in [t_enum, t_zip_same, t_zip2, t_zip3, t_items, t_ritems, t_enum_t, t_map, t_rev, t_after]:
    f()
# module level
L = [object(), object()]
out = []
for i, x in enumerate(L):
    out.append(rc(x))
print('mod-enum', out)
