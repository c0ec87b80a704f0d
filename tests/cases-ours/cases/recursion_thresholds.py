import sys
sys.setrecursionlimit(200)
def f(n):
    if n == 0:
        return 0
    return f(n - 1) + 1
def g(n):
    return 0 if not n else g(n - 1) + 1
def nest(n):
    a = []
    for i in range(n):
        a = [a]
    return a
for fn in (f, g):
    for d in range(190, 203):
        try:
            fn(d)
        except RecursionError as e:
            print(fn.__name__, d, e)
            break
for d in range(190, 203):
    try:
        nest(d) == nest(d)
    except RecursionError as e:
        print("nest", d, e)
        break
