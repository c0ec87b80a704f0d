import gc, sys
d = sys._debugmallocstats
S = [('%03d' % i) + 'x' * 996 for i in range(20)]
gc.collect()
d()
print(S[0]); print(S[1]); print(S[2]); print(S[3]); print(S[4]); print(S[5]); print(S[6]); print(S[7])
d()
print(S[8])
d()
