#!/bin/bash
# Records the cases in tests/cases-ours/cases on the 16 interpreters of the corpus, twice, keeping stable
# outputs. With no arguments every case is re-recorded and the expected tree replaced; with case names
# (`scripts/record-cases.sh name1 name2`) only those are recorded and merged into the existing tree.
set -u
cd "$(dirname "$0")/.."
cases="${CASES:-tests/cases-ours/cases}"
final="${OUT:-tests/cases-ours/expected}"
names=("$@")
if (( ${#names[@]} == 0 )); then
  for f in "$cases"/*.py; do names+=("$(basename "$f" .py)"); done
fi
# Record into a scratch directory and swap or merge it in at the end, so the tree never holds a partial set.
out=$(mktemp -d)
rec=$(mktemp -d)
for spec in 3.7.16:x86_64 3.8.18:x86_64 3.9.18:x86_64 3.10.13:x86_64 3.11.7:x86_64 3.12.1:x86_64 3.13.0:x86_64 3.13.18:x86_64 3.14.10:x86_64 3.15.2:x86_64 3.10.2:wasm32 3.11.3:wasm32 3.12.7:wasm32 3.13.2:wasm32 3.14.2:wasm32 3.15.0rc1:wasm32; do
  v=${spec%%:*}; a=${spec##*:}
  d=$out/$v-$a; mkdir -p "$d"
  for run in 1 2; do
    # Both runs use the same directory, so tracebacks name the same path and compare equal.
    rm -rf "$rec/cur" "$rec/$run"; mkdir -p "$rec/cur"
    for n in "${names[@]}"; do cp "$cases/$n.py" "$rec/cur/"; done
    ../shared/oracle/pyrun --python "$v" --arch "$a" --batch "$rec/cur" > /dev/null 2>&1
    mv "$rec/cur" "$rec/$run"
  done
  for n in "${names[@]}"; do
    if cmp -s "$rec/1/$n.py.out" "$rec/2/$n.py.out"; then cp "$rec/1/$n.py.out" "$d/$n.out"; else echo "$n" >> "$d/UNSTABLE"; fi
  done
done
if (( $# == 0 )); then
  rm -rf "$final"; mv "$out" "$final"
else
  for d in "$out"/*; do
    dest="$final/$(basename "$d")"; mkdir -p "$dest"
    for n in "${names[@]}"; do
      rm -f "$dest/$n.out"
      if [[ -f "$d/$n.out" ]]; then cp "$d/$n.out" "$dest/"; fi
      if [[ -f "$dest/UNSTABLE" ]]; then grep -vx "$n" "$dest/UNSTABLE" > "$dest/UNSTABLE.new" || true; mv "$dest/UNSTABLE.new" "$dest/UNSTABLE"; [[ -s "$dest/UNSTABLE" ]] || rm "$dest/UNSTABLE"; fi
      if [[ -f "$d/UNSTABLE" ]] && grep -qx "$n" "$d/UNSTABLE"; then echo "$n" >> "$dest/UNSTABLE"; fi
    done
  done
  rm -rf "$out"
fi
rm -rf "$rec"
echo done
