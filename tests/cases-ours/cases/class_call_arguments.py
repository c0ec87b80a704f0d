# Calling a class: type_call takes the positional arguments as a tuple and the keywords as a dict, and
# slot_tp_init turns the dict back into keyword names for __init__ (a 2n tuple through 3.10, the n
# names from 3.11); gc.set_threshold packs its arguments (METH_VARARGS). Each of them is a GC
# allocation that dies into a free list, which gc.get_count shows.
import gc
class P:
    def __init__(s, x, y): pass
class Q:
    pass
class R:
    def __init__(s, *a, **k): pass
gc.collect(); q = P(1, 2); print(gc.get_count())
gc.collect(); q = P(1, y=2); print(gc.get_count())
gc.collect(); q = P(x=1, y=2); print(gc.get_count())
gc.collect(); q = Q(); print(gc.get_count())
gc.collect(); q = R(); print(gc.get_count())
gc.collect(); q = R(1, k=3); print(gc.get_count())
gc.collect(); gc.set_threshold(500); print(gc.get_count())
gc.collect(); gc.set_threshold(700, 10, 10); print(gc.get_count())
