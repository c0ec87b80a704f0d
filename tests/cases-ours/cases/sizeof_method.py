import sys
class A: pass
class S:
    __slots__ = ("a",)
for x in [[1,2], [], (1,), "ab", {}, 5, 2.5, {1}, A(), S(), b"xy", bytearray(b"x"), range(3), iter([1]), (x for x in [])]:
    print(type(x).__name__, x.__sizeof__(), sys.getsizeof(x))
