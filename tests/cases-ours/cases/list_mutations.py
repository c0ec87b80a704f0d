import sys
l = list(range(20))
out = []
l.insert(3, 'x'); out.append(sys.getsizeof(l))
l.pop(0); out.append(sys.getsizeof(l))
del l[2:15]; out.append(sys.getsizeof(l))
l.extend([1] * 30); out.append(sys.getsizeof(l))
l[5:40] = []; out.append(sys.getsizeof(l))
l.remove(1); out.append(sys.getsizeof(l))
l *= 3; out.append(sys.getsizeof(l))
l += [2]; out.append(sys.getsizeof(l))
del l[:]; out.append(sys.getsizeof(l))
l.append(0); out.append(sys.getsizeof(l))
print(out, l)
m = []
for i in range(100):
    m.append(i)
sizes = set()
while m:
    m.pop()
    sizes.add(sys.getsizeof(m))
print(sorted(sizes))
b = bytearray()
bs = []
for i in range(40):
    b.append(i)
    bs.append(sys.getsizeof(b))
print(bs)
