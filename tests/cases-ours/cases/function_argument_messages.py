class K:
    def m(self, x, *, y, z):
        return x
def f(a, b=1):
    pass
tests = [lambda: K().m(), lambda: K().m(1), lambda: K().m(1, y=2), lambda: K().m(1, 2), lambda: K().m(1, y=1, z=2, w=3), lambda: K().m(1, x=2, y=1, z=1), lambda: f(), lambda: f(1, 2, 3), lambda: f(1, c=2), lambda: (lambda q: q)()]
for t in tests:
    try:
        t()
    except TypeError as e:
        print(e)
