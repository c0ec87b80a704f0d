import sys
a = []
for i in range(20):
    print(len(a), sys.getsizeof(a))
    a.append(i)
