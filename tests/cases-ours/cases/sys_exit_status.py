import sys
for args in [(), (None,), (0,), (7,), ("msg",)]:
    try:
        sys.exit(*args)
    except SystemExit as e:
        print(repr(e.code), e.args)
try:
    raise SystemExit(5)
except BaseException as e:
    print(type(e).__name__, e.code)
print("end")
sys.exit(300)
