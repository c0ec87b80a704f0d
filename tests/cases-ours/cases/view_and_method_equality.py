# dict keys and items views compare as sets (with sets, frozensets and each other); values views only
# by identity; bound methods are equal when they bind the same function to the same object.
d = {"a": 1, "b": 2}
e = {"b": 2, "a": 1}
print(d.keys() == d.keys(), d.keys() == {"a", "b"}, {"a", "b"} == d.keys(), d.keys() == frozenset("ab"))
print(d.items() == {("a", 1), ("b", 2)}, d.items() == e.items(), d.keys() == e.keys(), d.keys() == {"a"})
print(d.values() == d.values(), d.keys() != {"a", "b"}, d.items() == {("a", 2), ("b", 1)}, d.keys() == ["a", "b"])
class A:
    def m(self): pass
a, b = A(), A()
L = [1]
print(a.m == a.m, a.m == b.m, a.m != a.m, L.append == L.append, L.append == [1].append, len({a.m, a.m}) if False else 0)
