import sys
P = 8 if sys.maxsize > 2**32 else 4
B = sys.getsizeof([])
def s(l):
    return '%d/%d' % (len(l), (sys.getsizeof(l) - B) // P)
NS = [0, 1, 2, 3, 4, 5, 7, 9, 13, 17]
class H:
    def __init__(self, n, hint):
        self.n = n; self.hint = hint
    def __iter__(self):
        return iter(range(self.n))
    def __length_hint__(self):
        return self.hint
class Len:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        return iter(range(self.n))
    def __len__(self):
        return self.n
print('hint', ' '.join(s(list(H(n, h))) for n, h in [(3, 0), (3, 1), (3, 3), (3, 5), (3, 10), (3, 20), (10, 3), (20, 100), (0, 10)]))
print('__len__', ' '.join(s(list(Len(n))) for n in NS))
print('x*n', ' '.join(s([0] * n) for n in NS), s([1, 2] * 3), s([] * 5), s([1] * 0))
print('n*x', s(3 * [0]))
a = list(range(20))
print('slice', s(a[:3]), s(a[2:9]), s(a[::2]), s(a[::-1]), s(a[5:5]), s(a[:]))
print('copy', ' '.join(s(list(range(n)).copy()) for n in NS))
print('concat', s([1] + [2]), s([1, 2, 3] + []), s([] + []), s(list(range(5)) + list(range(4))))
print('sorted', ' '.join(s(sorted(list(range(n)))) for n in NS), ' '.join(s(sorted(tuple(range(n)))) for n in NS))
print('sorted_str', s(sorted('cba')), s(sorted('hello world')))
print('sorted_range', s(sorted(range(5))), s(sorted(range(13))))
print('reversed', s(list(reversed(range(5)))), s(list(reversed([1, 2, 3]))))
l = [1, 2, 3]; l *= 3; print('imul', s(l))
l = [1, 2, 3]; l *= 0; print('imul0', s(l))
l = [1, 2]; l.extend(l); print('self_extend', s(l))
l = [1, 2, 3, 4, 5]; l.extend(l); print('self_extend5', s(l))
l = [1, 2]; l += l; print('self_iadd', s(l))
l = list(range(10)); l[:] = [1, 2]; print('slice_assign_shrink', s(l))
l = list(range(40)); l[:] = [1, 2]; print('slice_assign_shrink40', s(l))
l = [1, 2]; l[:] = list(range(10)); print('slice_assign_grow', s(l))
l = [1, 2, 3]; l[1:2] = [7, 8, 9, 10, 11]; print('slice_assign_mid', s(l))
l = list(range(10)); l[::2] = 'abcde'; print('ext_slice_assign', s(l))
l = list(range(40)); del l[::2]; print('del_ext_slice', s(l))
l = list(range(40)); del l[5:]; print('del_tail40', s(l))
l = list(range(20)); del l[5:]; print('del_tail20', s(l))
l = [0] * 33; del l[1:]; print('del_tail33', s(l))
l = [0] * 32; del l[1:]; print('del_tail32', s(l))
print('str_list', s(list('hello')), s(list('')))
print('dictcomp_list', s(list({i: i for i in range(5)})))
print('list_literal', s([1, 2, 3]), s([1, 2]), s(['a', 'b', 'c', 'd', 'e']), s([B, B, B]))
print('list_of_list', s(list([1, 2, 3])), s(list([])))
print('range_list', ' '.join(s(list(range(n))) for n in NS))
print('tuple_list', ' '.join(s(list(tuple(range(n)))) for n in NS))
print('list_from_list_nonempty_extend', s(list(range(3)) + [0]))
print('list()', s(list()), s([]))
l = []; l.append(1); l.extend([2, 3, 4, 5]); print('grow', s(l))
l = []; l.extend(range(3)); print('extend_range', s(l))
l = [1]; l.extend(range(3)); print('extend_range_ne', s(l))
l = []; l.extend('abc'); print('extend_str', s(l))
l = []; l.insert(0, 1); print('insert_empty', s(l))
l = [1, 2, 3]; l.insert(0, 1); print('insert4', s(l))
l = [1, 2, 3, 4]; l.insert(0, 1); print('insert5', s(l))
