import gc
class R:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print('del', self.name)
gc.disable()
a = R('a'); b = R('b'); c = R('c'); d = R('d')
a.x = b
b.x = c
c.x = a
d.x = d
keep = R('keep')
keep.ref = c
del a, b, c, d
print('first', gc.collect())
del keep
print('second', gc.collect())
