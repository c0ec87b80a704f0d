import gc, sys
r = [0]*40
g = gc.get_count
S = [('%03d' % i) + 'x' * 996 for i in range(20)]   # 999 chars + "\n" = 1000 bytes per print
gc.collect(); g()
r[0] = g()[0]
for i in range(12):
    print(S[i])
    r[i+1] = g()[0]
sys.stdout.flush()
print([r[i+1]-r[i] for i in range(12)])
