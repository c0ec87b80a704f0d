# A short tour of CPython's memory management, for examples/node-example.mjs and the CLI:
#   cargo run --release --bin pymemsim -- run examples/memory-tour.py --python 3.12 --explain items --trace
import sys
import gc

# Containers over-allocate as they grow: the list keeps spare slots.
items = []
for i in range(10):
    items.append(i)
print("list of 10 items:", sys.getsizeof(items), "bytes")
table = {"a": 1, "b": 2}
print("dict of 2 keys:", sys.getsizeof(table), "bytes")
print("str 'hello':", sys.getsizeof("hello"), "bytes")

# A freed float goes onto the float free list and the next float takes it, so id() repeats.
n = len(items)
x = n * 1.5
first = id(x)
del x
y = n * 2.5
print("the new float reuses the freed one:", id(y) == first)

# A reference cycle: reference counting alone never frees it, the cyclic collector does.
class Node:
    def __init__(self, name):
        self.name = name
        self.peer = None

a = Node("a")
b = Node("b")
a.peer = b
b.peer = a
print("refcount of a:", sys.getrefcount(a))
del a, b
print("unreachable objects found by gc.collect():", gc.collect())
