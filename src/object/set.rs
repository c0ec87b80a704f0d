//! set: the open-addressing table of `Objects/setobject.c`, simulated slot by slot, because a set's
//! iteration order is its table order: `set_add_entry` (linear probes of 9, then perturbation),
//! `set_insert_clean`, `set_table_resize` (smallest power of two above `used*4`, or `used*2` above 50000
//! entries), the 8-slot smalltable, dummies left by deletion, and `set_merge`'s presizing. Unchanged in the
//! respects simulated here from 3.7 to 3.14.

use super::dict::Key;
use super::ObjId;

const LINEAR_PROBES: usize = 9;
const PERTURB_SHIFT: u32 = 5;
pub const MINSIZE: usize = 8;

#[derive(Clone, Debug, PartialEq)]
pub enum Slot {
    Empty,
    Dummy,
    Active { k: Key, key: ObjId, hash: i64 },
}

#[derive(Clone, Debug)]
pub struct Set {
    pub table: Vec<Slot>,
    pub fill: usize,
    pub used: usize,
    /// Simulated address of the table when it is not the inline smalltable.
    pub table_addr: Option<u64>,
}

impl Default for Set {
    fn default() -> Set {
        Set::new()
    }
}

/// What an add did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Added {
    New,
    /// The key was already present (the new object is not stored).
    Present,
}

impl Set {
    pub fn new() -> Set {
        Set {
            table: vec![Slot::Empty; MINSIZE],
            fill: 0,
            used: 0,
            table_addr: None,
        }
    }

    pub fn mask(&self) -> usize {
        self.table.len() - 1
    }

    pub fn len(&self) -> usize {
        self.used
    }

    pub fn is_empty(&self) -> bool {
        self.used == 0
    }

    /// Bytes of the external table (0 while the smalltable is used).
    pub fn table_bytes(&self, p: u64) -> u64 {
        if self.table.len() > MINSIZE {
            self.table.len() as u64 * 2 * p
        } else {
            0
        }
    }

    pub fn find(&self, k: &Key, hash: i64) -> Option<usize> {
        let mask = self.mask();
        let mut perturb = hash as u64 as usize;
        let mut i = (hash as u64 as usize) & mask;
        loop {
            let probes = if i + LINEAR_PROBES <= mask {
                LINEAR_PROBES
            } else {
                0
            };
            for j in 0..=probes {
                match &self.table[i + j] {
                    Slot::Empty => return None,
                    Slot::Active { k: kk, hash: h, .. } if *h == hash && kk == k => {
                        return Some(i + j)
                    }
                    _ => {}
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
        }
    }

    /// `set_add_entry`. `reuse_dummy`: 3.7–3.10 put a new key in the first dummy seen on its probe path.
    pub fn add(&mut self, k: Key, key: ObjId, hash: i64, reuse_dummy: bool) -> Added {
        let mask = self.mask();
        let mut perturb = hash as u64 as usize;
        let mut i = (hash as u64 as usize) & mask;
        let mut freeslot: Option<usize> = None;
        let slot = 'search: loop {
            let probes = if i + LINEAR_PROBES <= mask {
                LINEAR_PROBES
            } else {
                0
            };
            for j in 0..=probes {
                match &self.table[i + j] {
                    Slot::Empty => break 'search i + j,
                    Slot::Active { k: kk, hash: h, .. } if *h == hash && *kk == k => {
                        return Added::Present
                    }
                    Slot::Dummy if reuse_dummy && freeslot.is_none() => freeslot = Some(i + j),
                    _ => {}
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
        };
        if let Some(f) = freeslot {
            self.table[f] = Slot::Active { k, key, hash };
            self.used += 1;
            return Added::New;
        }
        self.table[slot] = Slot::Active { k, key, hash };
        self.fill += 1;
        self.used += 1;
        if self.fill * 5 >= mask * 3 {
            self.resize(if self.used > 50000 {
                self.used * 2
            } else {
                self.used * 4
            });
        }
        Added::New
    }

    fn insert_clean(table: &mut [Slot], s: Slot, hash: i64) {
        let mask = table.len() - 1;
        let mut perturb = hash as u64 as usize;
        let mut i = (hash as u64 as usize) & mask;
        loop {
            if table[i] == Slot::Empty {
                table[i] = s;
                return;
            }
            if i + LINEAR_PROBES <= mask {
                for j in 1..=LINEAR_PROBES {
                    if table[i + j] == Slot::Empty {
                        table[i + j] = s;
                        return;
                    }
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
        }
    }

    /// `set_table_resize(minused)`: the smallest power of two > minused (at least 8); entries re-inserted in
    /// old table order.
    pub fn resize(&mut self, minused: usize) {
        let mut newsize = MINSIZE;
        while newsize <= minused {
            newsize <<= 1;
        }
        let old = std::mem::replace(&mut self.table, vec![Slot::Empty; newsize]);
        self.fill = self.used;
        for s in old {
            if let Slot::Active { hash, .. } = &s {
                let h = *hash;
                Self::insert_clean(&mut self.table, s, h);
            }
        }
    }

    /// `set_merge` presizing before adding `other_used` entries from another set or frozenset.
    pub fn presize_for_merge(&mut self, other_used: usize) {
        if (self.fill + other_used) * 5 >= self.mask() * 3 {
            self.resize((self.used + other_used) * 2);
        }
    }

    /// `set_discard_entry`: the slot becomes a dummy.
    pub fn remove(&mut self, k: &Key, hash: i64) -> Option<ObjId> {
        let i = self.find(k, hash)?;
        let old = std::mem::replace(&mut self.table[i], Slot::Dummy);
        self.used -= 1;
        match old {
            Slot::Active { key, .. } => Some(key),
            _ => None,
        }
    }

    /// `set_clear_internal`: back to an empty smalltable. Returns the members.
    pub fn clear(&mut self) -> Vec<ObjId> {
        let out = self.members();
        *self = Set {
            table_addr: self.table_addr,
            ..Set::new()
        };
        out
    }

    /// Members in table (iteration) order.
    pub fn members(&self) -> Vec<ObjId> {
        self.table
            .iter()
            .filter_map(|s| match s {
                Slot::Active { key, .. } => Some(*key),
                _ => None,
            })
            .collect()
    }

    /// Active slots in table order, with their keys and hashes (for copying into another set).
    pub fn active(&self) -> Vec<(Key, ObjId, i64)> {
        self.table
            .iter()
            .filter_map(|s| match s {
                Slot::Active { k, key, hash } => Some((k.clone(), *key, *hash)),
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::object::Int;

    fn add(s: &mut Set, v: i64) {
        s.add(Key::Int(Int::Small(v)), v as u32, v, true);
    }

    #[test]
    fn growth_matches_sizes_md() {
        let mut s = Set::new();
        let mut sizes = vec![];
        for i in 0..40 {
            sizes.push(s.table.len());
            add(&mut s, i);
        }
        // ≤4 elements: smalltable; 5th → 32 slots; 19th → 128.
        assert_eq!(sizes[4], 8);
        assert_eq!(sizes[5], 32);
        assert_eq!(sizes[18], 32);
        assert_eq!(sizes[19], 128);
    }

    #[test]
    fn small_ints_iterate_in_hash_order() {
        let mut s = Set::new();
        for v in [5, 3, 1, 40] {
            add(&mut s, v);
        }
        assert_eq!(s.members(), vec![40, 1, 3, 5]);
    }
}
