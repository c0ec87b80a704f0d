import gc
class Node:
    pass
a = Node()
b = Node()
a.partner = b
b.partner = a
del a, b
print(gc.collect())
print(gc.collect())
