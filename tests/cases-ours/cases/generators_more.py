# Frame sizes of generators that build closures, lambdas, classes or handle exceptions; close()'s return
# value (3.13+); sizes of the other lazy iterators; ZeroDivisionError wording by version; comprehension
# variables captured by lambdas and generator expressions.
import sys

def clos(a):
    def inner():
        return a
    yield 1
def lam():
    x = 1
    f = lambda: x
    yield f
def tf():
    try:
        yield 1
    finally:
        pass
def te():
    try:
        yield 1
    except ValueError as e:
        print(e)
def tfe():
    try:
        pass
    finally:
        print("x")
    yield
def dflt(a):
    def inner(b=1, *, c=2):
        return a
    class K(object):
        pass
    yield inner
for g in (clos(1), lam(), tf(), te(), tfe(), dflt(1)):
    print(sys.getsizeof(g))

def stubborn():
    try:
        yield 1
    except GeneratorExit:
        return "returned on close"
d = stubborn()
next(d)
print(d.close())

print(sys.getsizeof(map(str, [])), sys.getsizeof(filter(None, [])))
print(sys.getsizeof(zip()), sys.getsizeof(enumerate([])))

for a, b in ((10, 0), (7, 0)):
    try:
        a // b
    except ZeroDivisionError as e:
        print("//", e)
    try:
        a % b
    except ZeroDivisionError as e:
        print("%", e)
    try:
        divmod(a, b)
    except ZeroDivisionError as e:
        print("divmod", e)

fs = [lambda: k for k in "bc"]
print(fs[0](), fs[1]())
gs = [(k for x in "a") for k in "bd"]
print(len(gs), list(gs[0]), list(gs[1]))
