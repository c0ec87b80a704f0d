# Rounding and formatting past a double's last digit: exact, half-even, and cheap however long.
x = '%.100000f' % 0.1
print(len(x), x[:25], x[-3:])
y = format(1e-300, '.5000e')
print(len(y), y[:12], y[-8:])
print(float('1' * 100000 + 'e-99990'))
print(round(2.675, 2), round(-0.5), round(1e300, -299))
print(round(1234.5, -1), round(1235.0, -1), round(-1250.0, -2), round(123.456, -400), round(-5.5, -1), round(2.5e-300, 300))
