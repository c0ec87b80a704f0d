vals = [0, 7, -7, 255, 3.14159, -2.5, 1e20, 'ab', None]
for f in ['%d', '%5d', '%-5d|', '%05d', '%+d', '% d', '%x', '%#x', '%#o', '%X', '%.2f', '%8.3f', '%-8.1f|', '%e', '%.3e', '%g', '%10.4g', '%s', '%.1s', '%5s', '%-5s|', '%r', '%i', '%u', '%+.1f', '%08.2f', '%#X']:
    out = []
    for v in vals:
        try:
            out.append(f % v)
        except (TypeError, ValueError) as e:
            out.append('E:' + str(e))
    print(f, out)
print('%s and %d%%' % ('x', 5))
