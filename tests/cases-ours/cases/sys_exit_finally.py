import sys
try:
    sys.exit(3)
except SystemExit as e:
    print("caught", e.code if hasattr(e, "code") else e.args)
try:
    print("in try")
    sys.exit("bye")
finally:
    print("finally ran")
