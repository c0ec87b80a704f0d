big = 2**53
print(big + 1 > float(big), big + 1 == float(big), float(big) < big + 1, 2**200 == float(2**200), 2**200 + 1 == float(2**200), -(2**70) < -1e21, 10**400 > 1e308, 10**400 < float('inf'), 3 < 3.5, -3 < -2.5, -3 > -3.5, 5 == 5.0, 1 < float('nan'), 1 > float('nan'), 1 == float('nan'))
print(sorted([3, 2.5, 2**60, 1e18, -1, True]))
