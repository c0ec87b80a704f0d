import gc
gc.disable()
keep = [None] * 9000
srcs = [list(range(n)) for n in range(21)]
out = []
def run(kind, n):
    pass
k = 0
c = gc.get_count()[0]
i = 0
while i < 200:
    keep[k] = []
    k += 1
    if gc.get_count()[0] > c:
        break
    i += 1
out.append(i)
c = gc.get_count()[0]
i = 0
while i < 200:
    keep[k] = {}
    k += 1
    if gc.get_count()[0] > c:
        break
    i += 1
out.append(i)
n = 1
while n <= 20:
    s = srcs[n]
    c = gc.get_count()[0]
    i = 0
    while i < 2500:
        keep[k] = tuple(s)
        k += 1
        if gc.get_count()[0] > c:
            break
        i += 1
    out.append(i)
    n += 1
print(out)
