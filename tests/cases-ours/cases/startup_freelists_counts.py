# Before the first full collection, the free lists the interpreter filled while starting serve new
# lists, dicts and small tuples without counting toward a collection.
import gc
g = gc.get_count
c0 = g()[0]
a = []
b = {}
c = (a, b)
d = [a]
e = {"k": a}
c1 = g()[0]
print(c1 - c0)
