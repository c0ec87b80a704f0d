# sort(reverse=True) keeps equal keys in their original order (list_sort_impl reverses, sorts, reverses).
import sys
print(sorted([3, 1, 2], reverse=True))
pairs = [('b', 1), ('a', 1), ('c', 0)]
print(sorted(pairs, key=lambda p: p[1], reverse=True))
pairs.sort(key=lambda p: p[1], reverse=True)
print(pairs)
try:
    x = undefined_name
except NameError as e:
    print('NameError:', e)
