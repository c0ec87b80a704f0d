import gc
saved = []
class Phoenix:
    def __del__(self):
        print('finalizing')
        saved.append(self)
gc.disable()
p = Phoenix()
p.me = p
del p
print(gc.collect())
print(len(saved), gc.is_finalized(saved[0]))
saved.clear()
print(gc.collect())
print('end')
