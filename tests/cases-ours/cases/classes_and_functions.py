class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def __repr__(self):
        return f'Vec({self.x}, {self.y})'
    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)
    def __eq__(self, o):
        return self.x == o.x and self.y == o.y
    def __len__(self):
        return 2
print(Vec(1, 2) + Vec(3, 4), Vec(1, 1) == Vec(1, 1), len(Vec(0, 0)), [Vec(0, 1)])
class Counter:
    count = 0
    def bump(self):
        Counter.count += 1
        return self.count
c = Counter()
c.bump()
print(c.bump(), Counter.count, isinstance(c, Counter), type(c).__name__)
def outer():
    total = 0
    def inc(n=1):
        nonlocal total
        total += n
        return total
    return inc
f = outer()
f()
print(f(10), (lambda a, b=2: a * b)(3))
def gen(n):
    for i in range(n):
        yield i * i
print(list(gen(4)), sum(x for x in range(5)), next(iter([7])))
def kw(a, *args, sep='-', **kw):
    return sep.join([str(a)] + [str(x) for x in args]) + str(sorted(kw))
print(kw(1, 2, 3, sep='+', z=1, y=2))
class E(Exception):
    pass
try:
    raise E('boom')
except Exception as e:
    print(type(e).__name__, e, repr(e))
try:
    try:
        1 / 0
    finally:
        print('finally')
except ZeroDivisionError as z:
    print('caught', z)
