import sys
class A: pass
print(sys.getrefcount(A))
class B:
    x = 1
    def m(self): return self
class C(A): pass
class S:
    __slots__ = ('y', 'x')
class M(A, B): pass
class T(S):
    __slots__ = ()
print(sys.getrefcount(A), sys.getrefcount(B), sys.getrefcount(C), sys.getrefcount(S), sys.getrefcount(M), sys.getrefcount(T))
a = A()
print(sys.getrefcount(A))
print(M.__mro__)
print(C.__bases__, M.__bases__, C.__base__, A.__base__)
print(A.__mro__ is A.__mro__, type(S.x).__name__, S.x, A.__dict__['__weakref__'])
print(list(A.__dict__))
print(list(S.__dict__))
print(a.__weakref__)
class E(Exception): pass
print(E.__mro__, sys.getrefcount(E))
try:
    class Bad(A, C): pass
except TypeError as e:
    print(e)
