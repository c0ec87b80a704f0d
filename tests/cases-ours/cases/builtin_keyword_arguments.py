# Keyword arguments to builtins as each version's argument parsers take them: moved to their position,
# kept as keyword-only, or refused with that version's words.
try:
    print('len([1], x=1)', '->', repr(len([1], x=1)))
except TypeError as e:
    print('len([1], x=1)', '-> TypeError:', e)
try:
    print("enumerate('ab', foo=1)", '->', repr(enumerate('ab', foo=1)))
except TypeError as e:
    print("enumerate('ab', foo=1)", '-> TypeError:', e)
try:
    print('round(1.5, foo=2)', '->', repr(round(1.5, foo=2)))
except TypeError as e:
    print('round(1.5, foo=2)', '-> TypeError:', e)
try:
    print('sum([1], foo=2)', '->', repr(sum([1], foo=2)))
except TypeError as e:
    print('sum([1], foo=2)', '-> TypeError:', e)
try:
    print('sorted([1], foo=1)', '->', repr(sorted([1], foo=1)))
except TypeError as e:
    print('sorted([1], foo=1)', '-> TypeError:', e)
try:
    print('min([1], foo=1)', '->', repr(min([1], foo=1)))
except TypeError as e:
    print('min([1], foo=1)', '-> TypeError:', e)
try:
    print('abs(x=1)', '->', repr(abs(x=1)))
except TypeError as e:
    print('abs(x=1)', '-> TypeError:', e)
try:
    print('range(3, step=1)', '->', repr(range(3, step=1)))
except TypeError as e:
    print('range(3, step=1)', '-> TypeError:', e)
try:
    print('list([1], x=1)', '->', repr(list([1], x=1)))
except TypeError as e:
    print('list([1], x=1)', '-> TypeError:', e)
try:
    print('tuple(x=1)', '->', repr(tuple(x=1)))
except TypeError as e:
    print('tuple(x=1)', '-> TypeError:', e)
try:
    print('zip([1], foo=1)', '->', repr(zip([1], foo=1)))
except TypeError as e:
    print('zip([1], foo=1)', '-> TypeError:', e)
try:
    print("int('1', foo=2)", '->', repr(int('1', foo=2)))
except TypeError as e:
    print("int('1', foo=2)", '-> TypeError:', e)
try:
    print('str(1, foo=1)', '->', repr(str(1, foo=1)))
except TypeError as e:
    print('str(1, foo=1)', '-> TypeError:', e)
try:
    print('isinstance(1, int, x=1)', '->', repr(isinstance(1, int, x=1)))
except TypeError as e:
    print('isinstance(1, int, x=1)', '-> TypeError:', e)
try:
    print('print(1, foo=2)', '->', repr(print(1, foo=2)))
except TypeError as e:
    print('print(1, foo=2)', '-> TypeError:', e)
try:
    print('id(x=1)', '->', repr(id(x=1)))
except TypeError as e:
    print('id(x=1)', '-> TypeError:', e)
try:
    print('repr(obj=1)', '->', repr(repr(obj=1)))
except TypeError as e:
    print('repr(obj=1)', '-> TypeError:', e)
try:
    print('pow(2, 3, foo=1)', '->', repr(pow(2, 3, foo=1)))
except TypeError as e:
    print('pow(2, 3, foo=1)', '-> TypeError:', e)
try:
    print('divmod(1, 2, x=3)', '->', repr(divmod(1, 2, x=3)))
except TypeError as e:
    print('divmod(1, 2, x=3)', '-> TypeError:', e)
try:
    print('hash(x=1)', '->', repr(hash(x=1)))
except TypeError as e:
    print('hash(x=1)', '-> TypeError:', e)
try:
    print('iter([1], x=1)', '->', repr(iter([1], x=1)))
except TypeError as e:
    print('iter([1], x=1)', '-> TypeError:', e)
try:
    print('next(iter([1]), x=1)', '->', repr(next(iter([1]), x=1)))
except TypeError as e:
    print('next(iter([1]), x=1)', '-> TypeError:', e)
try:
    print('dict([], x=1)', '->', repr(dict([], x=1)))
except TypeError as e:
    print('dict([], x=1)', '-> TypeError:', e)
try:
    print('set([1], x=1)', '->', repr(set([1], x=1)))
except TypeError as e:
    print('set([1], x=1)', '-> TypeError:', e)
try:
    print('frozenset([1], x=1)', '->', repr(frozenset([1], x=1)))
except TypeError as e:
    print('frozenset([1], x=1)', '-> TypeError:', e)
try:
    print('bytes(1, foo=1)', '->', repr(bytes(1, foo=1)))
except TypeError as e:
    print('bytes(1, foo=1)', '-> TypeError:', e)
try:
    print('float(x=1)', '->', repr(float(x=1)))
except TypeError as e:
    print('float(x=1)', '-> TypeError:', e)
try:
    print('bool(x=1)', '->', repr(bool(x=1)))
except TypeError as e:
    print('bool(x=1)', '-> TypeError:', e)
try:
    print('reversed([1], x=1)', '->', repr(reversed([1], x=1)))
except TypeError as e:
    print('reversed([1], x=1)', '-> TypeError:', e)
try:
    print("getattr(1, 'a', x=1)", '->', repr(getattr(1, 'a', x=1)))
except TypeError as e:
    print("getattr(1, 'a', x=1)", '-> TypeError:', e)
try:
    print('chr(i=65)', '->', repr(chr(i=65)))
except TypeError as e:
    print('chr(i=65)', '-> TypeError:', e)
try:
    print("ord(c='a')", '->', repr(ord(c='a')))
except TypeError as e:
    print("ord(c='a')", '-> TypeError:', e)
try:
    print('hex(x=1)', '->', repr(hex(x=1)))
except TypeError as e:
    print('hex(x=1)', '-> TypeError:', e)
try:
    print('max(1, 2, foo=1)', '->', repr(max(1, 2, foo=1)))
except TypeError as e:
    print('max(1, 2, foo=1)', '-> TypeError:', e)
try:
    print('[].append(1, x=1)', '->', repr([].append(1, x=1)))
except TypeError as e:
    print('[].append(1, x=1)', '-> TypeError:', e)
try:
    print('[].sort(foo=1)', '->', repr([].sort(foo=1)))
except TypeError as e:
    print('[].sort(foo=1)', '-> TypeError:', e)
try:
    print('[1].pop(index=0)', '->', repr([1].pop(index=0)))
except TypeError as e:
    print('[1].pop(index=0)', '-> TypeError:', e)
try:
    print("{}.get('a', default=1)", '->', repr({}.get('a', default=1)))
except TypeError as e:
    print("{}.get('a', default=1)", '-> TypeError:', e)
try:
    print("'a b'.split(sep=' ', maxsplit=1)", '->', repr('a b'.split(sep=' ', maxsplit=1)))
except TypeError as e:
    print("'a b'.split(sep=' ', maxsplit=1)", '-> TypeError:', e)
try:
    print("'a'.join(iterable=['b'])", '->', repr('a'.join(iterable=['b'])))
except TypeError as e:
    print("'a'.join(iterable=['b'])", '-> TypeError:', e)
try:
    print("list(enumerate(iterable='ab', start=1))", '->', repr(list(enumerate(iterable='ab', start=1))))
except TypeError as e:
    print("list(enumerate(iterable='ab', start=1))", '-> TypeError:', e)
try:
    print('round(number=1.25, ndigits=1)', '->', repr(round(number=1.25, ndigits=1)))
except TypeError as e:
    print('round(number=1.25, ndigits=1)', '-> TypeError:', e)
try:
    print('sum([1, 2], start=10)', '->', repr(sum([1, 2], start=10)))
except TypeError as e:
    print('sum([1, 2], start=10)', '-> TypeError:', e)
try:
    print('pow(base=2, exp=3)', '->', repr(pow(base=2, exp=3)))
except TypeError as e:
    print('pow(base=2, exp=3)', '-> TypeError:', e)
try:
    print('pow(2, 3, mod=5)', '->', repr(pow(2, 3, mod=5)))
except TypeError as e:
    print('pow(2, 3, mod=5)', '-> TypeError:', e)
try:
    print("int(x='5')", '->', repr(int(x='5')))
except TypeError as e:
    print("int(x='5')", '-> TypeError:', e)
try:
    print('str(object=5)', '->', repr(str(object=5)))
except TypeError as e:
    print('str(object=5)', '-> TypeError:', e)
try:
    print('sorted([3,1], reverse=True, key=None)', '->', repr(sorted([3,1], reverse=True, key=None)))
except TypeError as e:
    print('sorted([3,1], reverse=True, key=None)', '-> TypeError:', e)
try:
    print('list(zip([1], [2], strict=True))', '->', repr(list(zip([1], [2], strict=True))))
except TypeError as e:
    print('list(zip([1], [2], strict=True))', '-> TypeError:', e)
try:
    print('list(iterable=[1])', '->', repr(list(iterable=[1])))
except TypeError as e:
    print('list(iterable=[1])', '-> TypeError:', e)
try:
    print("list(enumerate('abc', start=5))", '->', repr(list(enumerate('abc', start=5))))
except TypeError as e:
    print("list(enumerate('abc', start=5))", '-> TypeError:', e)
try:
    print('round(3.14159, ndigits=2)', '->', repr(round(3.14159, ndigits=2)))
except TypeError as e:
    print('round(3.14159, ndigits=2)', '-> TypeError:', e)
try:
    print('round(2.675, 2)', '->', repr(round(2.675, 2)))
except TypeError as e:
    print('round(2.675, 2)', '-> TypeError:', e)
try:
    print("int('ff', base=16)", '->', repr(int('ff', base=16)))
except TypeError as e:
    print("int('ff', base=16)", '-> TypeError:', e)
try:
    print("'a,b,c'.split(',', maxsplit=1)", '->', repr('a,b,c'.split(',', maxsplit=1)))
except TypeError as e:
    print("'a,b,c'.split(',', maxsplit=1)", '-> TypeError:', e)
try:
    print("'a,b,c'.rsplit(sep=',', maxsplit=1)", '->', repr('a,b,c'.rsplit(sep=',', maxsplit=1)))
except TypeError as e:
    print("'a,b,c'.rsplit(sep=',', maxsplit=1)", '-> TypeError:', e)
try:
    print("'x\\ny'.splitlines(keepends=True)", '->', repr('x\ny'.splitlines(keepends=True)))
except TypeError as e:
    print("'x\\ny'.splitlines(keepends=True)", '-> TypeError:', e)
try:
    print("'abc'.encode(encoding='ascii')", '->', repr('abc'.encode(encoding='ascii')))
except TypeError as e:
    print("'abc'.encode(encoding='ascii')", '-> TypeError:', e)
try:
    print("b'abc'.decode(encoding='ascii')", '->', repr(b'abc'.decode(encoding='ascii')))
except TypeError as e:
    print("b'abc'.decode(encoding='ascii')", '-> TypeError:', e)
try:
    print("'aaa'.replace('a', 'b', count=2)", '->', repr('aaa'.replace('a', 'b', count=2)))
except TypeError as e:
    print("'aaa'.replace('a', 'b', count=2)", '-> TypeError:', e)
try:
    print("'{x}'.format(x=1)", '->', repr('{x}'.format(x=1)))
except TypeError as e:
    print("'{x}'.format(x=1)", '-> TypeError:', e)
try:
    print('min([], default=0)', '->', repr(min([], default=0)))
except TypeError as e:
    print('min([], default=0)', '-> TypeError:', e)
try:
    print('max([3, 1], key=lambda v: -v)', '->', repr(max([3, 1], key=lambda v: -v)))
except TypeError as e:
    print('max([3, 1], key=lambda v: -v)', '-> TypeError:', e)
try:
    print("str(b'hi', encoding='ascii')", '->', repr(str(b'hi', encoding='ascii')))
except TypeError as e:
    print("str(b'hi', encoding='ascii')", '-> TypeError:', e)
try:
    print("bytes('hi', encoding='ascii')", '->', repr(bytes('hi', encoding='ascii')))
except TypeError as e:
    print("bytes('hi', encoding='ascii')", '-> TypeError:', e)
try:
    print('complex(real=1, imag=2)', '->', repr(complex(real=1, imag=2)))
except TypeError as e:
    print('complex(real=1, imag=2)', '-> TypeError:', e)
try:
    print("'a'.startswith(prefix='a')", '->', repr('a'.startswith(prefix='a')))
except TypeError as e:
    print("'a'.startswith(prefix='a')", '-> TypeError:', e)
try:
    print('[1].index(value=1)', '->', repr([1].index(value=1)))
except TypeError as e:
    print('[1].index(value=1)', '-> TypeError:', e)
try:
    print('{1: 2}.pop(key=1)', '->', repr({1: 2}.pop(key=1)))
except TypeError as e:
    print('{1: 2}.pop(key=1)', '-> TypeError:', e)
try:
    print('set().add(elem=1)', '->', repr(set().add(elem=1)))
except TypeError as e:
    print('set().add(elem=1)', '-> TypeError:', e)
try:
    print("'ab'.find(sub='a')", '->', repr('ab'.find(sub='a')))
except TypeError as e:
    print("'ab'.find(sub='a')", '-> TypeError:', e)
try:
    print('divmod(7, 2)', '->', repr(divmod(7, 2)))
except TypeError as e:
    print('divmod(7, 2)', '-> TypeError:', e)
try:
    print('round(2.5, foo=1, ndigits=1)', '->', repr(round(2.5, foo=1, ndigits=1)))
except TypeError as e:
    print('round(2.5, foo=1, ndigits=1)', '-> TypeError:', e)
try:
    print('round(2.5, 1, ndigits=1)', '->', repr(round(2.5, 1, ndigits=1)))
except TypeError as e:
    print('round(2.5, 1, ndigits=1)', '-> TypeError:', e)
try:
    print("enumerate('a', 0, start=1)", '->', repr(enumerate('a', 0, start=1)))
except TypeError as e:
    print("enumerate('a', 0, start=1)", '-> TypeError:', e)
try:
    print('sum([1], 2, start=3)', '->', repr(sum([1], 2, start=3)))
except TypeError as e:
    print('sum([1], 2, start=3)', '-> TypeError:', e)
try:
    print('bytes(source=3)', '->', repr(bytes(source=3)))
except TypeError as e:
    print('bytes(source=3)', '-> TypeError:', e)
try:
    print('str(5, object=6)', '->', repr(str(5, object=6)))
except TypeError as e:
    print('str(5, object=6)', '-> TypeError:', e)
try:
    print("bytearray(b'x').decode(encoding='ascii')", '->', repr(bytearray(b'x').decode(encoding='ascii')))
except TypeError as e:
    print("bytearray(b'x').decode(encoding='ascii')", '-> TypeError:', e)
try:
    print("b'ab'.hex(sep=':')", '->', repr(b'ab'.hex(sep=':')))
except TypeError as e:
    print("b'ab'.hex(sep=':')", '-> TypeError:', e)
try:
    print("'ab'.center(width=5)", '->', repr('ab'.center(width=5)))
except TypeError as e:
    print("'ab'.center(width=5)", '-> TypeError:', e)
try:
    print("'%s' % 1", '->', repr('%s' % 1))
except TypeError as e:
    print("'%s' % 1", '-> TypeError:', e)
