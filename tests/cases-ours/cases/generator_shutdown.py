# Generators left suspended inside try/finally are closed when the program ends: their finally blocks
# print after the last statement. Generators without a try around the yield end silently.
def worker(tag):
    try:
        while True:
            yield tag
    finally:
        print("closing", tag)

def plain(n):
    for i in range(n):
        yield i

a = worker("a")
next(a)
_hidden = worker("hidden")
next(_hidden)
p = plain(3)
next(p)
b = worker("b")
print(next(b))
done = worker("done")
next(done)
done.close()
unstarted = worker("never started")
print("last statement")
