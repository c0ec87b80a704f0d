//! dict: the table behind a dict as `Objects/dictobject.c` sizes it. Entries are append-only in insertion
//! order with tombstones for deleted keys (`dk_entries`); the counters CPython keeps (`dk_log2_size`,
//! `dk_usable`, `dk_nentries`, `ma_used`, the 3.11+ unicode kind) decide every resize and every size that
//! `__sizeof__` reports. Lookup uses a Rust map from the key's Python equality class to the entry index:
//! probe sequences are not observable in a dict (order is insertion order), so they are not simulated.

use super::{Int, ObjId};
use rustc_hash::FxBuildHasher;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// A key's equality class: `1 == 1.0 == True` share one; strings by value; other objects by identity.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    None,
    Ellipsis,
    Int(Int),
    /// A float that is not integral (bits of the value; -0.0 and 0.0 are `Int(0)`).
    Float(u64),
    Complex(u64, u64),
    Str(String),
    Bytes(Vec<u8>),
    Tuple(Vec<Key>),
    /// A frozenset's members, sorted by their debug form so equal sets compare equal.
    FrozenSet(Vec<Key>),
    /// Identity: instances, functions, classes, …
    Id(ObjId),
}

impl Hash for Key {
    // Explicit tags, so that a borrowed `StrKey` hashes exactly as `Key::Str` does.
    fn hash<H: Hasher>(&self, h: &mut H) {
        match self {
            Key::None => h.write_u8(0),
            Key::Ellipsis => h.write_u8(1),
            Key::Int(i) => {
                h.write_u8(2);
                i.hash(h)
            }
            Key::Float(b) => {
                h.write_u8(3);
                b.hash(h)
            }
            Key::Complex(a, b) => {
                h.write_u8(4);
                a.hash(h);
                b.hash(h)
            }
            Key::Str(s) => {
                h.write_u8(5);
                s.as_str().hash(h)
            }
            Key::Bytes(b) => {
                h.write_u8(6);
                b.hash(h)
            }
            Key::Tuple(v) => {
                h.write_u8(7);
                v.hash(h)
            }
            Key::FrozenSet(v) => {
                h.write_u8(8);
                v.hash(h)
            }
            Key::Id(i) => {
                h.write_u8(9);
                i.hash(h)
            }
        }
    }
}

/// A str key looked up without allocating (names in globals and class dicts).
pub struct StrKey<'a>(pub &'a str);

impl Hash for StrKey<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        h.write_u8(5);
        self.0.hash(h)
    }
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub k: Key,
    pub key: ObjId,
    pub value: ObjId,
    pub hash: i64,
}

/// PyDict_MINSIZE = 8 (log2 3).
pub const LOG_MINSIZE: u8 = 3;

/// USABLE_FRACTION(n) = (n << 1) / 3.
pub fn usable_fraction(size: u64) -> u64 {
    (size << 1) / 3
}

/// The table size (log2) for a requested minimum, as `dictresize`'s loop computes it in 3.7–3.9 and
/// `calculate_keysize` / `calculate_log2_keysize` in 3.10+: the smallest power of two ≥ minsize, at least 8.
/// 3.10.0–3.13.3's bit trick, `bit_length(((minsize | 8) - 1) | 7)`, gives 16 for 1 ≤ minsize ≤ 7 (`quirk`;
/// gh-133703, fixed in 3.13.4 and 3.14.0. Measured: `d = {'a': 1}; d[2] = 2` is a 16-slot table on 3.11.7,
/// 3.12.1 and 3.13.0, 8 slots on 3.13.18 and 3.14).
pub fn log2_keysize(minsize: u64, quirk: bool) -> u8 {
    if quirk && (1..=7).contains(&minsize) {
        return LOG_MINSIZE + 1;
    }
    let mut log2 = LOG_MINSIZE;
    while (1u64 << log2) < minsize {
        log2 += 1;
    }
    log2
}

/// `ESTIMATE_SIZE(n)` / `estimate_log2_keysize(n)`: room for n items without a resize.
pub fn estimate_log2(n: u64, quirk: bool) -> u8 {
    log2_keysize((3 * n + 1) >> 1, quirk)
}

/// The keys shared by the instance dicts of one class (PEP 412): attribute names in insertion order and the
/// counters that 3.11+ `__sizeof__` reads.
#[derive(Clone, Debug, Default)]
pub struct SharedKeys {
    pub names: Vec<String>,
    pub log2: u8,
    pub usable: i64,
    /// ≤3.10: live split dicts using these keys (CPython's `dk_refcnt` minus the class's own reference).
    pub sharers: u64,
}

/// The last keys version handed out (see `Dict::version`). One counter for every dict of every
/// interpreter, so a version never repeats.
static KEYS_VERSION: AtomicU64 = AtomicU64::new(0);

fn next_version() -> u64 {
    KEYS_VERSION.fetch_add(1, Relaxed) + 1
}

#[derive(Clone, Debug, Default)]
pub struct Dict {
    /// Changes whenever a key is added or removed or entries move (CPython's `dk_version` idea): a name
    /// looked up at entry `i` while the version is unchanged is still at entry `i`, and a name found
    /// missing is still missing. Interpreter caches (`Vm::name_slots`) rely on it.
    pub version: u64,
    pub entries: Vec<Option<Entry>>,
    /// The Fx hash of each entry's key, position for position with `entries`, so that rebuilding the
    /// index never hashes a key again.
    khash: Vec<u64>,
    /// Entry positions, found by key: what CPython's `dk_indices` is for, without its probe order
    /// (not observable, see the module comment).
    index: hashbrown::HashTable<u32>,
    pub used: usize,
    /// 0: the shared `Py_EMPTY_KEYS` (no table of its own).
    pub log2: u8,
    pub usable: i64,
    /// 3.11+ `DICT_KEYS_UNICODE`: every key an exact str, entries of two words.
    pub unicode: bool,
    /// Simulated address of the keys object, when the dict owns one.
    pub keys_addr: Option<u64>,
    /// ≤3.10: a split-table instance dict sharing the keys of this class (PEP 412).
    pub split: Option<ObjId>,
}

impl Dict {
    /// A dict using the empty shared keys.
    pub fn empty() -> Dict {
        Dict::default()
    }

    /// A dict with its own table of 2**log2 slots.
    pub fn with_table(log2: u8, unicode: bool) -> Dict {
        let mut d = Dict::empty();
        d.set_table(log2, unicode);
        d
    }

    fn set_table(&mut self, log2: u8, unicode: bool) {
        self.log2 = log2;
        self.unicode = unicode;
        self.usable = usable_fraction(1 << log2) as i64 - self.entries.len() as i64;
    }

    pub fn len(&self) -> usize {
        self.used
    }

    pub fn is_empty(&self) -> bool {
        self.used == 0
    }

    pub fn nentries(&self) -> usize {
        self.entries.len()
    }

    fn find(&self, h: u64, eq: impl Fn(&Key) -> bool) -> Option<usize> {
        let entries = &self.entries;
        self.index
            .find(h, |&i| {
                entries[i as usize].as_ref().is_some_and(|e| eq(&e.k))
            })
            .map(|&i| i as usize)
    }

    pub fn get(&self, k: &Key) -> Option<usize> {
        self.find(FxBuildHasher.hash_one(k), |e| e == k)
    }

    pub fn get_str(&self, name: &str) -> Option<usize> {
        self.find(
            FxBuildHasher.hash_one(StrKey(name)),
            |e| matches!(e, Key::Str(s) if s == name),
        )
    }

    /// Files the entry just pushed at the end of `entries` in the index.
    fn index_last(&mut self, h: u64) {
        let khash = &self.khash;
        self.index
            .insert_unique(h, (self.entries.len() - 1) as u32, |&i| khash[i as usize]);
    }

    pub fn entry(&self, i: usize) -> &Entry {
        self.entries[i].as_ref().expect("a live entry")
    }

    pub fn entry_mut(&mut self, i: usize) -> &mut Entry {
        self.entries[i].as_mut().expect("a live entry")
    }

    /// Live entries in order.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().flatten()
    }

    /// The live entry at or after position `pos`, for iterators.
    pub fn next_from(&self, pos: usize) -> Option<(usize, &Entry)> {
        self.entries[pos.min(self.entries.len())..]
            .iter()
            .enumerate()
            .find_map(|(i, e)| e.as_ref().map(|e| (pos + i, e)))
    }

    /// The last active entry before position `end` (a reverse iterator's next), if any.
    pub fn prev_before(&self, end: usize) -> Option<(usize, &Entry)> {
        self.entries[..end.min(self.entries.len())]
            .iter()
            .enumerate()
            .rev()
            .find_map(|(i, e)| e.as_ref().map(|e| (i, e)))
    }

    /// Rebuilds the table at 2**log2 slots, dropping tombstones (`dictresize`).
    pub fn resize(&mut self, log2: u8, unicode: bool) {
        self.version = next_version();
        if self.entries.len() != self.used {
            // Drop the tombstones, keeping the hashes aligned.
            let mut live = self.entries.iter().map(Option::is_some);
            self.khash.retain(|_| live.next() == Some(true));
            self.entries.retain(Option::is_some);
        }
        self.index.clear();
        let khash = &self.khash;
        for (i, &h) in khash.iter().enumerate() {
            self.index
                .insert_unique(h, i as u32, |&j| khash[j as usize]);
        }
        self.set_table(log2, unicode);
    }

    /// Inserts a key that is not present. `str_key`: the key is an exact str (3.11+ kind rules); `minor`
    /// picks the rules. Returns whether the keys object was (re)allocated.
    pub fn insert_new(&mut self, e: Entry, str_key: bool, minor: u8, quirk: bool) -> bool {
        let mut realloc = false;
        if self.log2 == 0 {
            // insert_to_emptydict (3.11+) / insertion_resize from Py_EMPTY_KEYS: a fresh 8-slot table.
            self.resize(LOG_MINSIZE, minor >= 11 && str_key);
            realloc = true;
        } else if minor >= 11 && self.unicode && !str_key {
            // A non-str key in a unicode table: insertion_resize converts it to a general table first.
            self.resize(log2_keysize(self.used as u64 * 3, quirk), false);
            realloc = true;
        }
        if self.usable <= 0 {
            // insertion_resize: GROWTH_RATE(d) = used * 3.
            let unicode = self.unicode;
            self.resize(log2_keysize(self.used as u64 * 3, quirk), unicode);
            realloc = true;
        }
        self.version = next_version();
        self.push(e);
        self.usable -= 1;
        realloc
    }

    /// Adds an entry to a split dict: the table belongs to the class, so only the entries change.
    pub fn insert_split(&mut self, e: Entry) {
        self.version = next_version();
        self.push(e);
    }

    fn push(&mut self, e: Entry) {
        let h = FxBuildHasher.hash_one(&e.k);
        self.khash.push(h);
        self.entries.push(Some(e));
        self.index_last(h);
        self.used += 1;
    }

    /// Deletes the entry for `k` (leaves a tombstone; tables never shrink on delete).
    pub fn delete(&mut self, k: &Key) -> Option<Entry> {
        let entries = &self.entries;
        let found = self.index.find_entry(FxBuildHasher.hash_one(k), |&i| {
            entries[i as usize].as_ref().is_some_and(|e| e.k == *k)
        });
        let (i, _) = found.ok()?.remove();
        self.version = next_version();
        self.used -= 1;
        self.entries[i as usize].take()
    }

    /// `PyDict_Clear`: back to the empty shared keys. Returns the entries that were live.
    pub fn clear(&mut self) -> Vec<Entry> {
        self.version = next_version();
        let out: Vec<Entry> = self.entries.drain(..).flatten().collect();
        self.khash.clear();
        self.index.clear();
        self.used = 0;
        self.log2 = 0;
        self.usable = 0;
        self.unicode = false;
        out
    }

    /// Bytes of the keys object (0 for the shared empty keys).
    pub fn keys_size(&self, layout: &super::layout::Layout) -> u64 {
        if self.log2 == 0 {
            0
        } else {
            layout.dict_keys_size(self.log2, self.unicode)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(i: i64) -> Entry {
        Entry {
            k: Key::Int(Int::Small(i)),
            key: 0,
            value: 0,
            hash: i,
        }
    }

    #[test]
    fn growth_follows_used_times_three() {
        let mut d = Dict::empty();
        let mut sizes = vec![];
        for i in 0..45 {
            sizes.push(d.log2);
            d.insert_new(e(i), false, 12, true);
        }
        // 1–5 keys: 8 slots; 6–10: 16; 11–21: 32; 22–42: 64; 43+: 128.
        assert_eq!(sizes[1..6], [3; 5]);
        assert_eq!(sizes[6..11], [4; 5]);
        assert_eq!(sizes[11..22], [5; 11]);
        assert_eq!(sizes[22..43], [6; 21]);
        assert_eq!(sizes[43], 7);
    }

    #[test]
    fn unicode_tables_convert_on_a_non_str_key() {
        let mut d = Dict::empty();
        d.insert_new(
            Entry {
                k: Key::Str("a".into()),
                key: 0,
                value: 0,
                hash: 1,
            },
            true,
            11,
            true,
        );
        assert!(d.unicode);
        d.insert_new(e(1), false, 11, true);
        assert!(!d.unicode);
        // GROWTH_RATE 3 → calculate_log2_keysize(3) = 16 slots in 3.10–3.13.
        assert_eq!(d.log2, 4);
    }
}
