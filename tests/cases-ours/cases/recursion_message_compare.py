import sys
sys.setrecursionlimit(150)
def f(n):
    if n == 0:
        return 0
    return f(n - 1) + 1
def g(s):
    if s == "":
        return 0
    return g(s[1:]) + 1
for d in (50, 100, 300):
    try:
        print(d, f(d))
    except RecursionError as e:
        print(d, "RecursionError", e)
try:
    print(g("x" * 300))
except RecursionError as e:
    print("str", "RecursionError", e)
a = []
b = []
for i in range(100):
    a = [a]
    b = [b]
print(a == b)
