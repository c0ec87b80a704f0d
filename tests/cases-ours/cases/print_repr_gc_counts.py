# What print and the first container repr allocate, seen through gc.get_count(): the stream's pending
# list, print's argument tuples, the bound `write`, Py_ReprEnter's thread-state dict and list.
import gc
gc.collect()
print(gc.get_count())
for i in range(3):
    x = [i]
    print(gc.get_count())
print([1, 2], (3, 4), {5: 6})
print(gc.get_count())
print("a", "b", "c", sep="-", end="!\n")
print(gc.get_count())
gc.collect()
c0 = gc.get_count()[0]
r = repr({1, 2})
c1 = gc.get_count()[0]
r = repr({1: 2}.keys())
c2 = gc.get_count()[0]
r = repr(set()) + repr({}) + repr([]) + repr(())
c3 = gc.get_count()[0]
print(c1 - c0, c2 - c1, c3 - c2)
gc.collect()
c0 = gc.get_count()[0]
print()
print("x", 1, 2.5)
c1 = gc.get_count()[0]
print(c1 - c0)
