import gc, sys
r=[0]*10; g=gc.get_count
r[0]=g()[0]; r[1]=g()[0]; gc.collect(); r[2]=g()[0]; r[3]=g()[0]; x=[]; r[4]=g()[0]; del x; y=[]; r[5]=g()[0]
print(r[:6], gc.get_threshold(), sys.version)
