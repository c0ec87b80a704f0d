for args in [('5', 1), ('5', 37), ('5', -1), ('0x1f', 0), ('010', 0), ('0', 0), ('00', 0), ('0_0', 0), (' 12 ', 0), ('0b101', 0), ('0o17', 0), ('1_000', 0), ('z', 36), ('Z', 36)]:
    try:
        print(args, int(*args))
    except (ValueError, TypeError) as e:
        print(args, type(e).__name__, e)
try:
    int(5, 10)
except TypeError as e:
    print(e)
try:
    int(5.5, 2)
except TypeError as e:
    print(e)
