# sys.getsizeof of generators: a fixed struct up to 3.10; from 3.11 the generator embeds its frame, so the
# size grows with the code's locals and its value-stack depth (co_nlocalsplus + co_stacksize).
import sys

def g0():
    yield 1
def g1(a, b):
    x = a + b
    yield x
def g2(n):
    for i in range(n):
        print(i, n, i * n)
        yield i
def g3(items):
    total = 0
    for k, v in items.items():
        total += v
        yield k, total
def g4(xs):
    for x in xs:
        if x % 2 == 0 and x > 2:
            yield [x, x + 1, x * 2]
        else:
            yield {"x": x}
def g5(s):
    try:
        yield s.upper()
    except ValueError as e:
        yield str(e)
    finally:
        print("done")
def g6(n):
    yield from range(n)
    data = [i * i for i in range(n) if i]
    yield data
def g7(a, b=2, *rest, key=None):
    while a < b:
        a += 1
        yield f"{a}:{b:>3}"
    yield max(a, b, key=key)
def g8(m):
    acc = []
    for row in m:
        for cell in row:
            acc.append(cell)
    yield sorted(acc, reverse=True)
def outer(k):
    def inner():
        yield k
    return inner()

gens = [g0(), g1(1, 2), g2(3), g3({}), g4([]), g5("a"), g6(3), g7(1), g8([]), outer(5),
        (x for x in range(3)), (x * y for x in range(3) for y in range(2) if x),
        (str(c) for c in "abc"), ((a, b) for a, b in [(1, 2)]), (v for v in [] if v > 1 or v < -1)]
for g in gens:
    print(sys.getsizeof(g))
