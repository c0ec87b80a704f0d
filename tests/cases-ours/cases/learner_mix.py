words = ['pear', 'fig', 'banana', 'kiwi']
print(sorted(words, key=len), max(words, key=len), min(words), sorted(words, reverse=True))
print(', '.join(w.upper() for w in words), ' '.join(reversed(words)), len(''.join(words)))
scores = {'ann': 3, 'bob': 1, 'cy': 2}
for name, s in sorted(scores.items(), key=lambda kv: kv[1]):
    print(name, s, sep=':', end=' ')
print()
print(1 < 2 < 3, 1 < 3 < 2, 2 is not 3 if False else True, isinstance(3, (str, int)), 7 // -2, -7 % 3, 2 ** 0.5)
total = 0
def add(n):
    global total
    total += n
    return total
add(5); add(7)
print(total, [i * i for i in range(5) if i % 2], {k: v for k, v in zip('ab', (1, 2))})
class Animal:
    sound = '...'
    def __init__(self, name):
        self.name = name
    def speak(self):
        return f'{self.name} says {self.sound}'
class Dog(Animal):
    sound = 'woof'
print(Dog('rex').speak(), Animal('x').speak(), Dog.sound, isinstance(Dog('a'), Animal))
try:
    x = 1 / 0
except ZeroDivisionError:
    print('div')
else:
    print('no')
finally:
    print('fin')
i = 0
while i < 3:
    i += 1
else:
    print('done', i)
print(round(2.675, 2), round(-0.5), 10 / 4, 10 // 4, 1e-5, 123456789.0 * 10, float('inf'), -0.0)
print('%-6s|%6.2f|%03d' % ('ab', 3.14159, 7), '{:>8}|{:^8}|{:.3}'.format('r', 'c', 'abcdef'))
print(list(range(3)) * 2, [[]] * 2, [1, 2, 3][::-1], 'abc'[::-1], tuple('ab') + (1,))
s = 'Hello, World'
print(s.lower().count('l'), s.find('World'), s.split(', '), s[-5:], s.replace('l', 'L', 2), s.title(), s.swapcase())
