counter = 10
values = [1, 2, 3]
try:
    values.apend(4)
except AttributeError as e:
    print('AttributeError:', e)
class Point:
    def __init__(self):
        self.xcoord = 1
p = Point()
try:
    print(p.xcord)
except AttributeError as e:
    print('AttributeError:', e)
def f(a, b=2):
    return a + b
try:
    f()
except TypeError as e:
    print('TypeError:', e)
try:
    f(1, 2, 3)
except TypeError as e:
    print('TypeError:', e)
try:
    f(1, c=3)
except TypeError as e:
    print('TypeError:', e)
try:
    int('12a')
except ValueError as e:
    print('ValueError:', e)
try:
    [1, 2].index(5)
except ValueError as e:
    print('ValueError:', e)
try:
    {'a': 1}['b']
except KeyError as e:
    print('KeyError:', e)
try:
    None + 1
except TypeError as e:
    print('TypeError:', e)
print(countr)
