# sys.stdout keeps what print wrote until 8 KiB gather (x86-64, output to a pipe): a printed ASCII
# str holds one more reference meanwhile (3.8+); Pyodide's stdout flushes at each newline.
import sys
a = "-".join(["alpha", "beta"])
print(sys.getrefcount(a))
print(a)
print(sys.getrefcount(a))
print(a, end="")
print()
print(sys.getrefcount(a))
b = "é".join(["x", "y"])
print(b)
print(sys.getrefcount(b))
big = "z" * 5000
print(big)
print(sys.getrefcount(a), sys.getrefcount(big))
big2 = "w" * 9000
print(big2)
print(sys.getrefcount(a), sys.getrefcount(big), sys.getrefcount(big2))
n = 123456789
print(n, n + 1, sep=",")
s = str(n)
print(sys.getrefcount(s))
print(s, flush=True)
print(sys.getrefcount(s))
