class Outer:
    x = 1
    def __init__(self, a):
        self.b = a
        self.a, (self.c, *self.d) = 1, (2, 3)
        self.e += 1 if False else 0
        del self.nope
        [0 for self.f in ()]
        def inner():
            self.g = 1
        other = 0
        other.h = 1
    def m(me):
        me.i = 1
        self.j = 2
    def n(self):
        for self.k in ():
            pass
        self.l: int = 3
        self.m: int
        self.__p = 1
    class Inner:
        def f(self):
            self.z = 1
    (lambda: 0)
print(Outer.__static_attributes__ if hasattr(Outer, '__static_attributes__') else None)
print(Outer.Inner.__static_attributes__ if hasattr(Outer, '__static_attributes__') else None)
print(sorted(k for k in Outer.__dict__))
