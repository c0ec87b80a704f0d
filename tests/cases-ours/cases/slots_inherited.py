import sys
class Base:
    __slots__ = ('a',)
class Child(Base):
    __slots__ = ('b',)
class Plain(Child):
    pass
c = Child()
c.a = 1
c.b = 2
print(c.a, c.b, sys.getsizeof(c))
p = Plain()
p.a = 3; p.b = 4; p.z = 5
print(p.a, p.b, p.z, sys.getsizeof(p))
try:
    c.z = 1
except AttributeError as e:
    print(e)
del c.a
try:
    c.a
except AttributeError as e:
    print(e)
class Again(Base):
    __slots__ = ('a', 'c')
g = Again()
g.a = 7
g.c = 8
print(g.a, g.c, sys.getsizeof(g))
