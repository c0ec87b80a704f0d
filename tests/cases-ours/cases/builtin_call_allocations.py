# What a builtin call allocates once the free lists are empty (after a full collection): argument
# tuples of METH_VARARGS builtins (max/min until 3.13, iter in 3.7), the bound methods C code looks up
# on the way (format's __format__, sorted's sort, reversed's __reversed__, round's __round__ until 3.14,
# dict()'s keys in 3.7-3.8) - seen where bound methods have a free list - and types' argument tuples.
import gc
gc.disable()
L = [1, 2]
def m(f, *a):
    call = (lambda: f(a[0])) if len(a) == 1 else (lambda: f(a[0], a[1]))
    call()  # a first call may build the argument parser's keyword tuple (3.7)
    gc.collect()
    c0 = gc.get_count()[0]; c1 = gc.get_count()[0]
    r = call()
    c2 = gc.get_count()[0]
    return c2 - c1
print('max', m(max, 1, 2), 'min', m(min, L), 'iter', m(iter, L), 'next', m(next, iter(L)),
      'sorted', m(sorted, L), 'sum', m(sum, L), 'divmod', m(divmod, 7, 2), 'getattr', m(getattr, L, 'append'),
      'isinstance', m(isinstance, L, list), 'pow', m(pow, 2, 3), 'round', m(round, 2.5), 'round2', m(round, 2.5, 1),
      'format', m(format, 2.5), 'format-int', m(format, 7), 'hash', m(hash, 'a'), 'any', m(any, L), 'abs', m(abs, -1),
      'repr', m(repr, L), 'len', m(len, L), 'id', m(id, L))
print('enumerate', m(enumerate, L), 'zip', m(zip, L, L), 'map', m(map, abs, L), 'filter', m(filter, abs, L),
      'reversed', m(reversed, L), 'list', m(list, L), 'tuple', m(tuple, L), 'tuple-str', m(tuple, 'ab'),
      'dict', m(dict, {1: 2}), 'set', m(set, L), 'str', m(str, 1), 'int', m(int, '1'), 'float', m(float, '1'),
      'bool', m(bool, 1), 'range', m(range, 5), 'slice', m(slice, 5), 'bytes', m(bytes, 1), 'frozenset', m(frozenset, L),
      'complex', m(complex, 1), 'type', m(type, L))
d = {}
print('update', m(d.update, {1: 2}), 'fstring', m(lambda x: f'{x}', 2.5), 'fstring-int', m(lambda x: f'{x}', 7),
      'str.format', m('{}'.format, [1]))
