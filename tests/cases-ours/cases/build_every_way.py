import sys
src_list = [1, 2, 3, 4, 5, 6, 7]
src_tuple = (1, 2, 3, 4, 5, 6, 7)
g = (i for i in range(7))
print(sys.getsizeof(list(src_list)), sys.getsizeof(list(src_tuple)), sys.getsizeof(list(g)), sys.getsizeof(list('abcdefg')))
print(sys.getsizeof(list({1: 1, 2: 2, 3: 3})), sys.getsizeof(list({1, 2, 3, 4, 5})), sys.getsizeof(list(range(7))))
print(sys.getsizeof(tuple(src_list)), sys.getsizeof(tuple(i for i in range(7))), sys.getsizeof(tuple('ab')))
print(sys.getsizeof(dict(a=1, b=2, c=3, d=4, e=5, f=6)), sys.getsizeof(dict([(1, 2), (3, 4)])), sys.getsizeof(dict(zip('abcdefgh', range(8)))))
print(sys.getsizeof([*src_list]), sys.getsizeof([*src_list, *src_tuple]), sys.getsizeof([0, *src_list]))
print(sys.getsizeof(src_list * 2), sys.getsizeof(src_list + src_list), sys.getsizeof(src_list[1:5]), sys.getsizeof(src_list[::2]))
print(sys.getsizeof(src_list.copy()), sys.getsizeof(sorted(src_tuple)), sys.getsizeof(list(reversed(src_list))))
for n in [0, 1, 2, 3, 4, 5, 8, 9, 16, 17, 31, 32, 33]:
    print(n, sys.getsizeof(list(range(n))), sys.getsizeof([x for x in range(n)]), sys.getsizeof([None] * n), sys.getsizeof(tuple(range(n))), sys.getsizeof(set(range(n))), sys.getsizeof({i: i for i in range(n)}))
a = [1, 2, 3]
b = [a[0], a[1], a[2], a[0]]
print(sys.getsizeof(b), sys.getsizeof([a[0]] * 31), sys.getsizeof([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32]))
s = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
print(sys.getsizeof(s), sys.getsizeof({a[0], a[1], a[2], 4, 5}))
