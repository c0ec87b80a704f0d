print(sum([0.1] * 10), sum([0.1, 0.2, 0.3]), sum([1e100, 1.0, -1e100]), sum([1, 0.1, 0.2]), sum([0.1, 1, 0.2]), sum([0.1, 2**70, 0.2]))
print(sum([1, 2, 3], 0.5), sum([0.5, 1, 2]), sum([], 0.0), sum([1e308, 1e308]), sum([float('inf'), 1.0]), sum([-0.0]), sum([-0.0], -0.0))
print(sum(x * 0.1 for x in range(20)), sum([True, True, 0.5]), sum([2**62, 2**62, 1]), sum([0.1]*3, 0.1))
try:
    sum(['a', 'b'], '')
except TypeError as e:
    print(e)
try:
    sum([1, 'a'])
except TypeError as e:
    print(e)
print(sum([[1], [2]], []), sum(((1,), (2,)), ()))
