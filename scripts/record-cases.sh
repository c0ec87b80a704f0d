#!/bin/bash
# Records every case in tests/cases-ours/cases on the 16 interpreters of the corpus, twice, keeping stable outputs.
set -u
cd "$(dirname "$0")/.."
final="${OUT:-tests/cases-ours/expected}"
# Record into a scratch directory and swap it in at the end, so the tree never holds a partial set.
out=$(mktemp -d)
for spec in 3.7.16:x86_64 3.8.18:x86_64 3.9.18:x86_64 3.10.13:x86_64 3.11.7:x86_64 3.12.1:x86_64 3.13.0:x86_64 3.13.18:x86_64 3.14.10:x86_64 3.15.2:x86_64 3.10.2:wasm32 3.11.3:wasm32 3.12.7:wasm32 3.13.2:wasm32 3.14.2:wasm32 3.15.0rc1:wasm32; do
  v=${spec%%:*}; a=${spec##*:}
  d=$out/$v-$a; mkdir -p $d
  for run in 1 2; do
    # Both runs use the same directory, so tracebacks name the same path and compare equal.
    rm -rf /tmp/rec /tmp/rec-$run; mkdir -p /tmp/rec; cp "${CASES:-tests/cases-ours/cases}"/*.py /tmp/rec/
    ../shared/oracle/pyrun --python $v --arch $a --batch /tmp/rec > /dev/null 2>&1
    mv /tmp/rec /tmp/rec-$run
  done
  for f in "${CASES:-tests/cases-ours/cases}"/*.py; do
    n=$(basename $f .py)
    if cmp -s /tmp/rec-1/$n.py.out /tmp/rec-2/$n.py.out; then cp /tmp/rec-1/$n.py.out $d/$n.out; else echo $n >> $d/UNSTABLE; fi
  done
done
rm -rf "$final"; mv "$out" "$final"
echo done
