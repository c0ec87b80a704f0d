//! The allocator's constants and rules pinned to `../shared/cpython/alloc-gc.md` §1 (tables copied here so
//! the test does not need the fact sheet beside it) and to what real interpreters printed.
#![cfg(not(target_arch = "wasm32"))]

use pymemsim::alloc::stats::{malloc_stats, pymalloc_report};
use pymemsim::alloc::Heap;
use pymemsim::profile::{ArenaAlign, Profile};

// §1.3, `idx:size/blocks`.
const TABLE_A: &str = "0:8/506 1:16/253 2:24/168 3:32/126 4:40/101 5:48/84 6:56/72 7:64/63 8:72/56 9:80/50 10:88/46 11:96/42 12:104/38 13:112/36 14:120/33 15:128/31 16:136/29 17:144/28 18:152/26 19:160/25 20:168/24 21:176/23 22:184/22 23:192/21 24:200/20 25:208/19 26:216/18 27:224/18 28:232/17 29:240/16 30:248/16 31:256/15 32:264/15 33:272/14 34:280/14 35:288/14 36:296/13 37:304/13 38:312/12 39:320/12 40:328/12 41:336/12 42:344/11 43:352/11 44:360/11 45:368/11 46:376/10 47:384/10 48:392/10 49:400/10 50:408/9 51:416/9 52:424/9 53:432/9 54:440/9 55:448/9 56:456/8 57:464/8 58:472/8 59:480/8 60:488/8 61:496/8 62:504/8 63:512/7";
const TABLE_B: &str = "0:16/253 1:32/126 2:48/84 3:64/63 4:80/50 5:96/42 6:112/36 7:128/31 8:144/28 9:160/25 10:176/23 11:192/21 12:208/19 13:224/18 14:240/16 15:256/15 16:272/14 17:288/14 18:304/13 19:320/12 20:336/12 21:352/11 22:368/11 23:384/10 24:400/10 25:416/9 26:432/9 27:448/9 28:464/8 29:480/8 30:496/8 31:512/7";
const TABLE_C: &str = "0:16/1021 1:32/510 2:48/340 3:64/255 4:80/204 5:96/170 6:112/145 7:128/127 8:144/113 9:160/102 10:176/92 11:192/85 12:208/78 13:224/72 14:240/68 15:256/63 16:272/60 17:288/56 18:304/53 19:320/51 20:336/48 21:352/46 22:368/44 23:384/42 24:400/40 25:416/39 26:432/37 27:448/36 28:464/35 29:480/34 30:496/32 31:512/31";

fn heap(v: &str, align: ArenaAlign) -> Heap {
    Heap::new(Profile::parse(v, "x86_64").unwrap(), align)
}

#[test]
fn blocks_per_pool_for_every_class_in_every_layout() {
    for (table, versions) in [
        (TABLE_A, &["3.7.0", "3.7.3"][..]),
        (TABLE_B, &["3.7.4", "3.7.17", "3.8", "3.9"][..]),
        (
            TABLE_C,
            &["3.10", "3.11", "3.12", "3.13", "3.14", "3.15"][..],
        ),
    ] {
        for v in versions {
            let g = Profile::parse(v, "x86_64").unwrap().pymalloc().unwrap();
            let entries: Vec<&str> = table.split(' ').collect();
            assert_eq!(entries.len() as u32, g.nb_classes(), "{v}");
            for e in entries {
                let (idx, rest) = e.split_once(':').unwrap();
                let (size, blocks) = rest.split_once('/').unwrap();
                let idx: u16 = idx.parse().unwrap();
                assert_eq!(
                    g.class_size(idx),
                    size.parse::<u64>().unwrap(),
                    "{v} class {idx}"
                );
                assert_eq!(
                    g.blocks_per_pool(idx),
                    blocks.parse::<u32>().unwrap(),
                    "{v} class {idx}"
                );
                // Filling a fresh pool of this class takes exactly that many blocks, contiguous from offset 48.
            }
        }
    }
}

#[test]
fn a_pool_holds_exactly_numblocks_blocks_laid_out_from_the_header() {
    for v in ["3.7.3", "3.8", "3.12"] {
        let g = Profile::parse(v, "x86_64").unwrap().pymalloc().unwrap();
        for idx in [0u16, 7, (g.nb_classes() - 1) as u16] {
            let mut h = heap(v, ArenaAlign::Page);
            let size = g.class_size(idx);
            let n = g.blocks_per_pool(idx);
            let addrs: Vec<u64> = (0..=n).map(|_| h.malloc(size).unwrap()).collect();
            let pool = addrs[0] & !(g.pool_size - 1);
            for (i, a) in addrs[..n as usize].iter().enumerate() {
                assert_eq!(*a, pool + 48 + i as u64 * size, "{v} class {idx} block {i}");
            }
            // Block n+1 opens the next pool, carved right after the first.
            assert_eq!(
                addrs[n as usize],
                pool + g.pool_size + 48,
                "{v} class {idx}"
            );
        }
    }
}

#[test]
fn pools_per_arena_follow_the_base_alignment() {
    let cases = [
        ("3.9", ArenaAlign::Page, 64),
        ("3.10", ArenaAlign::Page, 63),
        ("3.10", ArenaAlign::Pool, 64),
        ("3.15", ArenaAlign::Arena, 64),
        ("3.12", ArenaAlign::Page, 63),
    ];
    for (v, align, pools) in cases {
        let mut h = heap(v, align);
        h.malloc(8).unwrap();
        let pm = h.pymalloc.as_ref().unwrap();
        assert_eq!(pm.arenas()[0].ntotalpools, pools, "{v} {align:?}");
        let lost = malloc_stats(pm).arena_alignment;
        assert_eq!(
            lost,
            (64 - pools as u64) * pm.geometry.pool_size,
            "{v} {align:?}"
        );
    }
}

/// Fills one arena and then a second, frees everything in the second, then everything in the first.
fn release_trace(v: &str) -> (u64, u64) {
    let mut h = heap(v, ArenaAlign::Page);
    let g = h.pymalloc.as_ref().unwrap().geometry;
    let per_arena = 63 * g.blocks_per_pool(g.class_of(512)) as usize; // at least 63 pools
    let mut first = Vec::new();
    while h.pymalloc.as_ref().unwrap().narenas_currently_allocated < 2 {
        first.push(h.malloc(512).unwrap());
    }
    let second = first.pop().unwrap();
    assert!(first.len() >= per_arena);
    h.free(second).unwrap();
    let after_second = h.pymalloc.as_ref().unwrap().narenas_currently_allocated;
    for a in first {
        h.free(a).unwrap();
    }
    (
        after_second,
        h.pymalloc.as_ref().unwrap().narenas_currently_allocated,
    )
}

#[test]
fn arena_release_rule_per_version() {
    // 3.7–3.8 release a wholly free arena at once; 3.9+ keep it while it is the last usable arena.
    assert_eq!(release_trace("3.7.3"), (1, 0));
    assert_eq!(release_trace("3.8"), (1, 0));
    assert_eq!(release_trace("3.9"), (2, 1));
    assert_eq!(release_trace("3.12"), (2, 1));
    assert_eq!(release_trace("3.15"), (2, 1));
}

#[test]
fn zero_and_large_requests_go_to_malloc() {
    let mut h = heap("3.12", ArenaAlign::Page);
    let a = h.malloc(0).unwrap();
    let b = h.malloc(513).unwrap();
    assert!(h.pymalloc.as_ref().unwrap().pool_of(a).is_none());
    assert!(h.pymalloc.as_ref().unwrap().pool_of(b).is_none());
    assert_eq!(h.pymalloc.as_ref().unwrap().narenas_currently_allocated, 0);
    let c = h.malloc(512).unwrap();
    assert!(h.pymalloc.as_ref().unwrap().pool_of(c).is_some());
}

#[test]
fn realloc_keeps_a_block_unless_it_shrinks_by_a_quarter_or_grows() {
    let mut h = heap("3.12", ArenaAlign::Page);
    let p = h.malloc(64).unwrap();
    assert_eq!(h.realloc(p, 49).unwrap(), p); // 4*49 = 196 > 192
    let q = h.realloc(p, 48).unwrap(); // 4*48 = 192, not > 192: moves to the 48-byte class
    assert_ne!(q, p);
    let r = h.realloc(q, 600).unwrap(); // to malloc
    assert!(h.pymalloc.as_ref().unwrap().pool_of(r).is_none());
    let s = h.realloc(r, 16).unwrap(); // C realloc keeps managing it, even when small
    assert_eq!(s, r);
    assert!(!h.is_live(q));
}

#[test]
fn usable_arenas_stay_sorted_by_free_pools() {
    for v in ["3.7.3", "3.8", "3.12"] {
        let mut h = heap(v, ArenaAlign::Page);
        let g = h.pymalloc.as_ref().unwrap().geometry;
        let per_pool = g.blocks_per_pool(g.class_of(512)) as usize;
        let mut blocks = Vec::new();
        for _ in 0..(3 * 64 * per_pool) {
            blocks.push(h.malloc(512).unwrap());
        }
        // Free whole pools scattered over the arenas.
        for (i, chunk) in blocks.chunks(per_pool).enumerate() {
            if i % 3 == 0 || i % 7 == 0 {
                for &b in chunk {
                    h.free(b).unwrap();
                }
            }
        }
        let pm = h.pymalloc.as_ref().unwrap();
        let order = pm.usable_arenas();
        let nf: Vec<u32> = order
            .iter()
            .map(|&s| pm.arenas()[s as usize].nfreepools)
            .collect();
        assert!(nf.windows(2).all(|w| w[0] <= w[1]), "{v}: {nf:?}");
        assert!(order.len() >= 2, "{v}");
    }
}

#[test]
fn report_byte_lines_sum_to_total_and_arenas() {
    let mut h = heap("3.11", ArenaAlign::Page);
    let mut live = Vec::new();
    for i in 0..5000u64 {
        live.push(h.malloc(1 + (i * 37) % 512).unwrap());
        if i % 3 == 0 {
            h.free(live.swap_remove((i as usize * 7) % live.len()))
                .unwrap();
        }
    }
    let pm = h.pymalloc.as_ref().unwrap();
    let s = malloc_stats(pm);
    assert_eq!(s.total(pm), s.narenas * pm.geometry.arena_size);
    let text = pymalloc_report(pm, &h.profile);
    let total_line = text.lines().find(|l| l.starts_with("Total")).unwrap();
    let printed: u64 = total_line
        .rsplit('=')
        .next()
        .unwrap()
        .trim()
        .replace(',', "")
        .parse()
        .unwrap();
    assert_eq!(printed, s.narenas * pm.geometry.arena_size);
    assert!(text.contains(&format!("{} arenas * 1048576 bytes/arena", s.narenas)));
}
