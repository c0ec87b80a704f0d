# Frame-size shapes: calls, methods, keyword and star arguments, displays, slices, unpacking, handlers,
# nested inlined comprehensions; each generator's size shows its co_stacksize from 3.11 on.
import sys
def s1(d):
    d["k"] += d.get("a", 0) * 2
    yield d
def s2(xs):
    a, (b, c) = xs[0], xs[1:3]
    yield a < b <= c
def s3(x):
    y = [1, 2, x, (x, x + 1), {x: [x, x]}]
    yield y[1:-1]
def s4(obj):
    obj.attr = obj.other.method(1, 2, key=3)
    yield obj
def s5(n):
    while n > 0 and n % 7 != 3 or n < -10:
        n -= 1
    yield n
def s6(n):
    def helper(m):
        return m + n
    yield helper(1)
def s7(xs):
    yield sorted(xs, key=lambda v: -v)
def s8(a):
    try:
        yield a
    except (TypeError, ValueError):
        pass
    finally:
        yield 0
def s9(*args, **kw):
    yield print(*args, sep="-", **kw)
def s10(x):
    yield f"{x!r:>{x}} and {x + 1:.2f} {x}"
def s11(m):
    yield {k: [v for v in vs if v] for k, vs in m.items()}
def s12(x):
    assert x, "msg " + str(x)
    raise ValueError(x) from None
    yield
def s13(x):
    del x[0], x[1:2]
    yield x
def s14(seq):
    for i, (a, b) in enumerate(seq):
        yield {"i": i, "a": a, "b": b, "s": a + b}
def s15(n):
    total = sum(i * j for i in range(n) for j in range(i))
    yield total, [str(t) for t in (1, 2)], {e for e in "ab"}
for g in [s1({}), s2([]), s3(1), s4(None), s5(3), s6(1), s7([]), s8(1), s9(), s10(1), s11({}), s12(1), s13([]), s14([]), s15(2)]:
    print(sys.getsizeof(g))
