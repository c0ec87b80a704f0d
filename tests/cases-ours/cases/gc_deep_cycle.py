import gc
class Node:
    def __init__(self, i):
        self.i = i
        self.next = None
gc.disable()
head = Node(0)
cur = head
for i in range(1, 200):
    n = Node(i)
    cur.next = n
    cur = n
cur.next = head
del cur, n
print(gc.collect())
del head
print(gc.collect())
print(gc.collect())
