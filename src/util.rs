//! util: small shared helpers, chosen for the size of the wasm download. `sort_by` is a compact stable merge
//! sort (the standard library's sorts are fast but large per element type). `FxHashMap`/`FxHashSet` are the
//! hashbrown crate's tables with the Fx hasher: the dict tables already use hashbrown directly, so using it
//! everywhere keeps one copy of the hash-table code instead of two (std carries its own).

pub type FxHashMap<K, V> = hashbrown::HashMap<K, V, rustc_hash::FxBuildHasher>;
pub type FxHashSet<K> = hashbrown::HashSet<K, rustc_hash::FxBuildHasher>;

/// Sorts `v` stably by `less` (a strict "a comes before b").
pub fn sort_by<T: Clone>(v: &mut [T], less: &mut impl FnMut(&T, &T) -> bool) {
    let n = v.len();
    if n <= 1 {
        return;
    }
    if n <= 16 {
        // Insertion sort: stable, and cheapest for the short lists most callers have.
        for i in 1..n {
            let mut j = i;
            while j > 0 && less(&v[j], &v[j - 1]) {
                v.swap(j, j - 1);
                j -= 1;
            }
        }
        return;
    }
    let mid = n / 2;
    sort_by(&mut v[..mid], less);
    sort_by(&mut v[mid..], less);
    let left = v[..mid].to_vec();
    let right = v[mid..].to_vec();
    let (mut i, mut j, mut k) = (0, 0, 0);
    while i < left.len() && j < right.len() {
        // Take from the right only when strictly smaller, so equal items keep their order.
        if less(&right[j], &left[i]) {
            v[k] = right[j].clone();
            j += 1;
        } else {
            v[k] = left[i].clone();
            i += 1;
        }
        k += 1;
    }
    for x in &left[i..] {
        v[k] = x.clone();
        k += 1;
    }
    for x in &right[j..] {
        v[k] = x.clone();
        k += 1;
    }
}

/// Sorts by `Ord`.
pub fn sort<T: Clone + Ord>(v: &mut [T]) {
    sort_by(v, &mut |a, b| a < b);
}

#[cfg(test)]
mod tests {
    #[test]
    fn sorts_stably() {
        let mut v: Vec<(u32, u32)> = (0..200).map(|i| ((i * 7919) % 13, i)).collect();
        super::sort_by(&mut v, &mut |a, b| a.0 < b.0);
        assert!(v
            .windows(2)
            .all(|w| w[0].0 < w[1].0 || (w[0].0 == w[1].0 && w[0].1 < w[1].1)));
        let mut w = vec![5, 3, 9, 1, 1, 0];
        super::sort(&mut w);
        assert_eq!(w, [0, 1, 1, 3, 5, 9]);
    }
}
