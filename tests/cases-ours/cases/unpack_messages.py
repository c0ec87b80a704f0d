def gen(n):
    for i in range(n):
        yield i
def inf():
    i = 0
    while True:
        yield i
        i += 1
tests = [lambda: [1, 2, 3], lambda: (1, 2, 3), lambda: 'abc', lambda: {1: 2, 3: 4, 5: 6}, lambda: gen(3), lambda: inf(), lambda: {1, 2, 3}, lambda: range(3), lambda: [1], lambda: gen(1), lambda: 'a', lambda: {1: 2}, lambda: 5, lambda: None]
for t in tests:
    try:
        a, b = t()
        print('ok', a, b)
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
for t in tests[:5] + tests[6:]:
    try:
        a, *b, c, d = t()
        print('ok', a, b, c, d)
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
