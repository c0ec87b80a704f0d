//! Property tests over random malloc/free/realloc sequences on every pymalloc layout.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use pymemsim::alloc::stats::malloc_stats;
use pymemsim::alloc::{AllocEvent, Heap};
use pymemsim::profile::{ArenaAlign, Profile, MAX_POOLS_IN_ARENA};
use std::collections::{BTreeMap, HashMap};

#[derive(Clone, Debug)]
enum Op {
    Malloc(u64),
    Free(usize),
    Realloc(usize, u64),
}

fn size() -> impl Strategy<Value = u64> {
    prop_oneof![8 => 1u64..=512, 1 => Just(0u64), 1 => 513u64..2048]
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    // Few distinct sizes make pools fill, empty and get reused; many frees empty whole arenas.
    let op = prop_oneof![
        5 => size().prop_map(Op::Malloc),
        4 => any::<usize>().prop_map(Op::Free),
        1 => (any::<usize>(), size()).prop_map(|(i, n)| Op::Realloc(i, n)),
    ];
    prop::collection::vec(op, 1..3000)
}

fn heap(v: &str, align: ArenaAlign) -> Heap {
    Heap::new(Profile::parse(v, "x86_64").unwrap(), align)
}

const VERSIONS: [&str; 7] = ["3.7.3", "3.7.16", "3.8", "3.9", "3.10", "3.12", "3.15"];

/// Runs ops, checking the invariants after every one; returns every address handed out, in order.
fn check(v: &str, align: ArenaAlign, ops: &[Op]) -> Result<Vec<u64>, TestCaseError> {
    let mut h = heap(v, align);
    let g = h.pymalloc.as_ref().unwrap().geometry;
    // live address → requested size
    let mut live: Vec<(u64, u64)> = Vec::new();
    let mut by_addr: BTreeMap<u64, u64> = BTreeMap::new();
    // pool address → addresses freed in it and not yet handed out again, most recent last
    let mut freed: HashMap<u64, Vec<u64>> = HashMap::new();
    let mut handed = Vec::new();
    let pool_of = |a: u64| a & !(g.pool_size - 1);
    for op in ops {
        h.log.take();
        match *op {
            Op::Malloc(n) => {
                let a = h.malloc(n).unwrap();
                live.push((a, n));
            }
            Op::Free(i) if !live.is_empty() => {
                let (a, _) = live.swap_remove(i % live.len());
                h.free(a).unwrap();
            }
            Op::Realloc(i, n) if !live.is_empty() => {
                let i = i % live.len();
                let a = h.realloc(live[i].0, n).unwrap();
                live[i] = (a, n);
            }
            _ => {}
        }
        for e in h.log.take() {
            match e {
                AllocEvent::Malloc {
                    address,
                    loc: Some(loc),
                    ..
                } => {
                    handed.push(address);
                    // No block handed out twice: a new block overlaps no live block.
                    let size = g.class_size(loc.szidx);
                    if let Some((&a, &s)) = by_addr.range(..=address).next_back() {
                        prop_assert!(
                            a + s <= address,
                            "{}: {:#x} overlaps live block {:#x}",
                            v,
                            address,
                            a
                        );
                    }
                    if let Some((&a, _)) = by_addr.range(address..).next() {
                        prop_assert!(
                            address + size <= a,
                            "{}: {:#x} overlaps live block {:#x}",
                            v,
                            address,
                            a
                        );
                    }
                    by_addr.insert(address, size);
                    let stack = freed.entry(pool_of(address)).or_default();
                    if let Some(top) = stack.pop() {
                        prop_assert_eq!(
                            address,
                            top,
                            "{}: a freed block is the next one its pool hands out",
                            v
                        );
                    }
                }
                AllocEvent::Free {
                    address,
                    loc: Some(_),
                } => {
                    prop_assert!(by_addr.remove(&address).is_some());
                    freed.entry(pool_of(address)).or_default().push(address);
                }
                AllocEvent::PoolInit {
                    arena,
                    pool,
                    reused: false,
                    ..
                } => {
                    let pm = h.pymalloc.as_ref().unwrap();
                    freed.remove(&pm.pool_address(arena * MAX_POOLS_IN_ARENA + pool));
                }
                AllocEvent::ReleaseArena { address, .. } => {
                    freed.retain(|p, _| *p < address || *p >= address + g.arena_size);
                }
                _ => {}
            }
        }
    }
    // Per-pool counts equal the live blocks in each pool; Total equals arenas × ARENA_SIZE.
    let pm = h.pymalloc.as_ref().unwrap();
    let mut per_pool: HashMap<u64, u32> = HashMap::new();
    for &(a, _) in &live {
        if pm.pool_of(a).is_some() {
            *per_pool.entry(pool_of(a)).or_default() += 1;
        }
    }
    for (slot, arena) in pm.arenas().iter().enumerate() {
        if arena.address == 0 {
            continue;
        }
        for k in 0..pm.carved_pools(slot as u32) {
            let info = pm.pool_info(slot as u32 * MAX_POOLS_IN_ARENA + k);
            prop_assert_eq!(
                info.count,
                per_pool.get(&info.address).copied().unwrap_or(0)
            );
        }
    }
    let s = malloc_stats(pm);
    prop_assert_eq!(s.total(pm), s.narenas * g.arena_size);
    prop_assert_eq!(
        pm.allocated_blocks(),
        per_pool.values().map(|&c| c as u64).sum::<u64>()
    );
    Ok(handed)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold_on_every_layout(ops in ops()) {
        for v in VERSIONS {
            check(v, ArenaAlign::Page, &ops)?;
        }
        check("3.12", ArenaAlign::Pool, &ops)?;
    }

    /// 3.7's walk and 3.8's nfp2lasta keep usable_arenas in the same order, so 3.7.4+ and 3.8 (same
    /// geometry, same release rule) hand out the same addresses.
    #[test]
    fn walk_and_nfp2lasta_agree(ops in ops()) {
        prop_assert_eq!(check("3.7.16", ArenaAlign::Page, &ops)?, check("3.8", ArenaAlign::Page, &ops)?);
    }
}

/// The same comparison on a workload that empties and refills many arenas, which random ops rarely do.
#[test]
fn walk_and_nfp2lasta_agree_on_arena_churn() {
    let mut ops = Vec::new();
    for round in 0..6u64 {
        for i in 0..4000u64 {
            ops.push(Op::Malloc(256 + (i * 31 + round) % 257));
        }
        for i in 0..3000usize {
            ops.push(Op::Free(i * 7919 + round as usize));
        }
    }
    let a = check("3.7.16", ArenaAlign::Page, &ops).unwrap();
    let b = check("3.8", ArenaAlign::Page, &ops).unwrap();
    assert_eq!(a, b);
}
