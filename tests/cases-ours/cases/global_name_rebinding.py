# Globals and builtins read in a loop while names are added, deleted, rebound and shadowed: every read
# sees the binding of that moment (a cached lookup must not outlive a change of the module's keys).
def f(x):
    return len(x)

r = []
for i in range(12):
    r.append(f("abc"))
    if i == 2:
        len = lambda x: -1          # shadows the builtin from now on
    if i == 4:
        del len                     # the builtin again
    if i == 6:
        a1 = a2 = a3 = a4 = a5 = a6 = a7 = a8 = a9 = 0   # the module dict resizes
    if i == 8:
        del f
        def f(x):
            return -len(x)
print(r)

total = 0
x = 1
for i in range(6):
    total += x
    if i == 1:
        del x
        x = 10                      # re-added: a new entry at another index
    if i == 3:
        y = x
        del y
print(total)

def g():
    global z
    z = 0
    for k in range(5):
        z += k
    return z
print(g(), z)
