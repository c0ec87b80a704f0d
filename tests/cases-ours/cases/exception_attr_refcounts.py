# Reading SystemExit.code and StopIteration.value returns one new reference (to None when there is
# no argument), so reading them more often changes no count.
import sys
e = SystemExit()
f = StopIteration(5)
g = StopIteration()
def reads(n):
    a = sys.getrefcount(None)
    for i in range(n):
        e.code
        f.value
        g.value
    return sys.getrefcount(None) - a
reads(10)
print(reads(100) - reads(10))
print(e.code, f.value, g.value, SystemExit(1, 2).code, SystemExit('bye').code)
