# Generators run lazily: their bodies interleave with the consumer, suspend at each yield and keep
# their locals, loop iterators and handled exceptions alive while suspended.
import sys

def count(n):
    print("start", n)
    i = 0
    while i < n:
        print("before", i)
        yield i
        print("after", i)
        i += 1
    print("end")
    return "fin"

for v in count(2):
    print("got", v)

def naturals():
    n = 0
    while True:
        yield n
        n += 1

for v in naturals():
    if v == 3:
        break
    print("nat", v)

g = count(1)
print(type(g).__name__, repr(g)[:23])
print(next(g))
try:
    next(g)
except StopIteration as e:
    print("stopped", repr(e.value))
print(next(g, "default"))

def echo():
    got = yield "ready"
    while got != "quit":
        got = yield "echo " + got
    return "bye"

e = echo()
print(e.send(None))
print(e.send("a"))
print(e.send("b"))
try:
    e.send("quit")
except StopIteration as s:
    print("returned", s.value)

def pairs(xs):
    for i, x in enumerate(xs):
        for y in xs[i + 1:]:
            yield x, y
print(list(pairs([1, 2, 3])))

def chain(*its):
    for it in its:
        yield from it
    r = yield from count(1)
    print("sub returned", r)
print(list(chain([1, 2], (3, 4), "ab")))

def guarded():
    try:
        yield 1
        yield 2
    finally:
        print("cleanup")

g = guarded()
print(next(g))
g.close()
print("closed")
g = guarded()
print(next(g))
del g
print("deleted")
for x in guarded():
    print("x", x)
    break
print("after break")

def catcher():
    while True:
        try:
            yield "waiting"
        except ValueError as err:
            print("caught", err)
            yield "handled"

c = catcher()
print(next(c))
print(c.throw(ValueError("boom")))
print(next(c))
c.close()

# Reference counts while suspended: the frame holds the list and the loop's iterator holds it too.
data = [10, 20, 30]
print(sys.getrefcount(data))
it = (x * 2 for x in data)
print(sys.getrefcount(data))
print(next(it))
print(sys.getrefcount(data))
print(list(it))
print(sys.getrefcount(data))
del it
print(sys.getrefcount(data))

def holder(obj):
    yield obj
h = holder(data)
print(sys.getrefcount(data))
next(h)
print(sys.getrefcount(data))
for _ in h:
    pass
print(sys.getrefcount(data))

# A generator expression's first iterable is evaluated at once; the rest lazily.
def src(tag, n):
    print("iter", tag)
    return range(n)
ge = (a * b for a in src("outer", 2) for b in src("inner", 2))
print("made")
print(sum(ge))

def bad():
    yield 1
    raise StopIteration
try:
    list(bad())
except RuntimeError as err:
    print("RuntimeError:", err)

def running():
    yield next(me)
me = running()
try:
    next(me)
except ValueError as err:
    print("ValueError:", err)

gen = (i for i in range(3))
print(sorted(gen, reverse=True), list(gen))
print(max(x % 3 for x in range(10)), min(len(w) for w in ["abc", "de"]))
print(dict((k, k * k) for k in range(3)), tuple(c for c in "hey"))
