print(list(map(str, [1, 2])), list(filter(lambda v: v > 1, [0, 1, 2, 3])), any(x > 2 for x in [1, 3]), all([1, 0]))
print(sum([[1], [2]], []), divmod(-7, 2), pow(2, 10, 7), abs(-3j), hex(-255), bin(10), oct(64), int('0x1f', 16), int('111', 2))
print(ord('€'), chr(8364), ascii('é') if False else 1, repr(1.0), repr(-1e-7), str(True), bool([]), bool('0'))
d = dict(a=1)
d.update(b=2, c=3)
print(d, d.pop('a'), d.popitem(), d, {**d, 'z': 0}, list(d.values()))
s = {1, 2, 3}
s.update([4, 5])
s.remove(1)
print(s, s.union({9}), s.intersection([2, 3, 10]), s.difference({2}), s.issubset({2, 3, 4, 5, 6}), sorted(s ^ {5, 6}))
t = (3, 1, 2)
print(sorted(t), t.count(1), t.index(2), tuple(reversed(t)), min(t), max(t), len(t), t[1:], t < (3, 2))
print(f'{3.14159:.2f} {10:,} {255:#x} {0.5:.1%} {"s":>3} {-5:+d} {12:b}', f'{1e20:g}', f'{123.456:e}')
n = 12345678901234567890
print(n * n, n // 7, n % 1000, -n >> 3, n & 0xFFFF, n.bit_length(), str(2 ** 64), 10 ** 20 == 1e20)
print(type(1) is int, type(1.0).__name__, callable(len), hasattr([], 'append'), getattr(d, 'get')('b'))
a = [3, 1, 2]
b = a
a += [4]
print(a is b, a, [x for x in enumerate(a)][:2], list(zip(*[(1, 'a'), (2, 'b')])))
