print(type(iter("abc")).__name__, type(iter([])).__name__, type(iter(range(1))).__name__, type(iter({})).__name__, type({}.keys()).__name__, type(iter(set())).__name__, type(iter(b"")).__name__, type(...).__name__, type(NotImplemented).__name__)
for r in [max, min]:
    try:
        r([])
    except ValueError as e:
        print(e)
for f in [int, float]:
    try:
        f([])
    except TypeError as e:
        print(e)
print(b"ab" in b"xaby", 97 in b"abc", [1, 2] in [[1, 2]], 3 in (x for x in range(10)))
g = (x for x in range(10))
print(4 in g, next(g))
