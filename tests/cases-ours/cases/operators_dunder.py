class V:
    def __init__(self, x):
        self.x = x
    def __add__(self, o):
        return V(self.x + o) if isinstance(o, int) else NotImplemented
    def __radd__(self, o):
        return V(self.x + o + 100)
    def __iadd__(self, o):
        self.x += o
        return self
    def __repr__(self):
        return 'V(%d)' % self.x
v = V(1)
print(v + 2, 3 + v)
v += 5
print(v)
try:
    v + 'a'
except TypeError as e:
    print(e)
