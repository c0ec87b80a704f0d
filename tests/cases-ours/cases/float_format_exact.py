# Fixed, scientific and general formatting round the exact binary value half-even (dtoa modes 2 and 3).
vals = [0.0, -0.0, 0.5, 1.5, 2.5, 0.125, 0.375, 2.675, 1.005, 9.995, 99999.5, 123456.789, 1e-5, 1.5e-7,
        9.9999, 0.1, 1/3, 2/3, 1e16, 1.7976931348623157e308, 5e-324, 1e22, 123.0, 100.0, 0.0001234]
for v in vals:
    print(repr(v), '%.0f' % v, '%.2f' % v, '%.3e' % v, '%g' % v, '%.3g' % v)
    print(f"{v:.1f} {v:.0e} {v:.5g} {v:.3} {v:.1%} {v:#.3g} {v:10.2f}| {v:+.1E} {v:.12g}")
for v in [2.675, 0.125, -0.125, 1234.5678, -2.5, 0.5, 1.5, 1e300, 5e-324]:
    print(round(v, 2), round(v, 1), round(v), round(v, 0), round(v, 5))
print('%.40f' % 0.1)
print('%.20e' % 1e-300)
print(format(float('inf'), '.2f'), format(float('-inf'), 'E'), format(float('nan'), '.3g'), format(float('inf'), 'F'))
print(format(1.0, '.3'), format(123.0, '.3'), format(1234.0, '.3'), format(0.5, '.0'), format(12.0, '.2'))
print(format(1e-5, '.3'), format(100.0, '#.3g'), format(0.0, '.3g'), format(0.0, 'e'), format(0.0, '.0e'))
# Shortest repr breaks a tie between two shortest candidates toward the even digit.
print(9.575176008193613e14, [957517600819361.25, 2.5e-323, 0.30000000000000004, 1e23, 9007199254740993.0])
