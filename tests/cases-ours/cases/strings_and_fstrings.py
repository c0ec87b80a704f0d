name = 'world'
n = 42
x = 3.14159
print(f'hello {name}!', f'{n:5d}|{n:<5}|{n:^7}|{n:x}|{n:08b}', f'{x:.2f} {x:e} {x!r} {name!r}')
print('a,b,,c'.split(','), ' a  b '.split(), 'x'.join(['1', '2', '3']))
print('Hello'.upper(), 'Hello'.lower(), '  pad  '.strip() + '|', 'abc'.replace('b', 'BB'))
print('abc'.startswith('a'), 'abc'.endswith(('x', 'c')), 'banana'.find('na'), 'banana'.count('a'))
print('{} + {} = {}'.format(1, 2, 3), '{0}{1}{0}'.format('a', 'b'), '{k}'.format(k=7))
print(repr('it\'s'), repr("q\"q"), repr('tab\there'), str(1.0), str(1e16), str(1.5e-7), 0.1 + 0.2)
print('%s is %d years and %.1f' % ('Bob', 30, 1.25), '%r' % 'x', '%5s|%-5s|' % ('a', 'b'))
print(str(10**20), -7 % 3, 7 // -2, 2 ** -1, divmod(17, 5), round(2.5), round(3.5), round(1.2345, 2))
print(hex(255), oct(8), bin(5), int('ff', 16), int(' 12 '), float('1e3'), abs(-2.5), chr(65), ord('a'))
