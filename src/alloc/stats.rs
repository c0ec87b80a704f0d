//! stats: the text of `sys._debugmallocstats()` (`Python/sysmodule.c`), byte for byte.
//!
//! The pymalloc half is `_PyObject_DebugMallocStats` (`Objects/obmalloc.c`; `pymalloc_print_stats` from
//! 3.12), printed only when the build has pymalloc and followed by an empty line; the free-list half is
//! `_PyObject_DebugTypeStats` (`Objects/object.c`), always printed. Numbers go through obmalloc's
//! `printone`: the label padded to column 35, `=`, the value with thousands commas right-aligned in 21
//! columns.

use super::pymalloc::Pymalloc;
use super::Heap;
use crate::profile::{Profile, MAX_POOLS_IN_ARENA, SMALL_REQUEST_THRESHOLD};
use std::fmt::Write;

/// obmalloc's `printone`. Returns the value, as the C function does, so totals can be summed.
pub fn printone(out: &mut String, msg: &str, value: u64) -> u64 {
    out.push_str(msg);
    for _ in msg.len()..35 {
        out.push(' ');
    }
    out.push('=');
    let digits = value.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let _ = writeln!(out, "{grouped:>21}");
    value
}

/// Per-class totals over every carved pool with ref.count > 0 (`numpools`, `numblocks`, `numfreeblocks`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClassStats {
    pub pools: u64,
    pub blocks_in_use: u64,
    pub avail_blocks: u64,
}

/// The figures `_PyObject_DebugMallocStats` computes, before formatting.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MallocStats {
    pub classes: Vec<ClassStats>,
    pub narenas: u64,
    pub numfreepools: u64,
    pub arena_alignment: u64,
    pub allocated_bytes: u64,
    pub available_bytes: u64,
    pub pool_header_bytes: u64,
    pub quantization: u64,
}

impl MallocStats {
    /// Σ of the byte lines, which the report prints as `Total` and which must equal narenas × ARENA_SIZE.
    pub fn total(&self, pm: &Pymalloc) -> u64 {
        self.allocated_bytes
            + self.available_bytes
            + self.numfreepools * pm.geometry.pool_size
            + self.pool_header_bytes
            + self.quantization
            + self.arena_alignment
    }
}

/// Marches over every allocated arena and every pool below its bump pointer, as the C code does (full
/// pools are on no list, so the arenas are the only complete index).
pub fn malloc_stats(pm: &Pymalloc) -> MallocStats {
    let g = pm.geometry;
    let mut s = MallocStats {
        classes: vec![ClassStats::default(); g.nb_classes() as usize],
        ..Default::default()
    };
    for (slot, a) in pm.arenas().iter().enumerate() {
        if a.address == 0 {
            continue;
        }
        s.narenas += 1;
        s.numfreepools += a.nfreepools as u64;
        if a.address & (g.pool_size - 1) != 0 {
            s.arena_alignment += g.pool_size;
        }
        for k in 0..pm.carved_pools(slot as u32) {
            let info = pm.pool_info(slot as u32 * MAX_POOLS_IN_ARENA + k);
            if info.count == 0 {
                continue;
            }
            let c = &mut s.classes[info.szidx as usize];
            c.pools += 1;
            c.blocks_in_use += info.count as u64;
            c.avail_blocks += (g.blocks_per_pool(info.szidx) - info.count) as u64;
        }
    }
    for (i, c) in s.classes.iter().enumerate() {
        let size = g.class_size(i as u16);
        s.allocated_bytes += c.blocks_in_use * size;
        s.available_bytes += c.avail_blocks * size;
        s.pool_header_bytes += c.pools * g.pool_overhead;
        s.quantization += c.pools * g.quantization(i as u16);
    }
    s
}

/// `_PyObject_DebugMallocStats(stderr)`.
pub fn pymalloc_report(pm: &Pymalloc, profile: &Profile) -> String {
    let g = pm.geometry;
    let s = malloc_stats(pm);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Small block threshold = {SMALL_REQUEST_THRESHOLD}, in {} size classes.",
        g.nb_classes()
    );
    out.push('\n');
    out.push_str("class   size   num pools   blocks in use  avail blocks\n");
    out.push_str("-----   ----   ---------   -------------  ------------\n");
    for (i, c) in s.classes.iter().enumerate() {
        if c.pools == 0 {
            continue;
        }
        let _ = writeln!(
            out,
            "{:5} {:6} {:11} {:15} {:13}",
            i,
            g.class_size(i as u16),
            c.pools,
            c.blocks_in_use,
            c.avail_blocks
        );
    }
    out.push('\n');
    // "# times object malloc called" appears only with the debug hooks (3.7) or PYMEM_DEBUG_SERIALNO
    // (3.8+), neither of which a release build has.
    printone(
        &mut out,
        "# arenas allocated total",
        pm.ntimes_arena_allocated,
    );
    printone(
        &mut out,
        "# arenas reclaimed",
        pm.ntimes_arena_allocated - s.narenas,
    );
    printone(&mut out, "# arenas highwater mark", pm.narenas_highwater);
    printone(&mut out, "# arenas allocated current", s.narenas);
    let label = format!("{} arenas * {} bytes/arena", s.narenas, g.arena_size);
    printone(&mut out, &label, s.narenas * g.arena_size);
    out.push('\n');
    let mut total = printone(&mut out, "# bytes in allocated blocks", s.allocated_bytes);
    total += printone(&mut out, "# bytes in available blocks", s.available_bytes);
    let label = format!("{} unused pools * {} bytes", s.numfreepools, g.pool_size);
    total += printone(&mut out, &label, s.numfreepools * g.pool_size);
    total += printone(
        &mut out,
        "# bytes lost to pool headers",
        s.pool_header_bytes,
    );
    total += printone(&mut out, "# bytes lost to quantization", s.quantization);
    total += printone(
        &mut out,
        "# bytes lost to arena alignment",
        s.arena_alignment,
    );
    printone(&mut out, "Total", total);
    if let Some(r) = g.radix {
        // WITH_PYMALLOC_RADIX_TREE (3.10+); USE_INTERIOR_NODES on 64-bit.
        let (mids, bots) = pm.arena_map_counts();
        let ptr = profile.ptr();
        out.push_str("\narena map counts\n");
        printone(&mut out, "# arena map mid nodes", mids);
        printone(&mut out, "# arena map bot nodes", bots);
        out.push('\n');
        let mut total = printone(
            &mut out,
            "# bytes lost to arena map root",
            r.root_bytes(ptr),
        );
        total += printone(
            &mut out,
            "# bytes lost to arena map mid",
            mids * r.mid_node_bytes(ptr),
        );
        total += printone(
            &mut out,
            "# bytes lost to arena map bot",
            bots * r.bot_node_bytes(),
        );
        printone(&mut out, "Total", total);
    }
    out
}

/// How many objects sit on each free list, for `_PyObject_DebugTypeStats`. Names are the struct names the
/// report prints (`PyDictObject`, …); `tuples[n]` counts the n-tuple free list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FreeListCounts {
    pub named: Vec<(&'static str, u64)>,
    pub tuples: Vec<u64>,
}

impl FreeListCounts {
    fn named(&self, name: &str) -> u64 {
        self.named
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(0, |(_, c)| *c)
    }
}

/// `_PyDebugAllocatorStats`: `"%d free %ss * %zd bytes each"` right-aligned in 48 columns and a space,
/// then `printone`.
fn allocator_line(out: &mut String, block_name: &str, num: u64, size: u64) {
    let text = format!("{num} free {block_name}s * {size} bytes each");
    printone(out, &format!("{text:>48} "), num * size);
}

/// `_PyObject_DebugTypeStats(stderr)`: the free lists this version keeps, in its print order.
pub fn type_report(profile: &Profile, counts: &FreeListCounts) -> String {
    let mut out = String::new();
    for line in profile.free_list_lines() {
        allocator_line(&mut out, line.name, counts.named(line.name), line.item_size);
    }
    let (max, base, item) = profile.tuple_free_list_sizes();
    for n in 1..=max {
        let count = counts.tuples.get(n as usize).copied().unwrap_or(0);
        allocator_line(
            &mut out,
            &format!("{n}-sized PyTupleObject"),
            count,
            base + item * n as u64,
        );
    }
    out
}

/// `sys._debugmallocstats()`: what it writes to stderr.
pub fn debugmallocstats(heap: &Heap, counts: &FreeListCounts) -> String {
    let mut out = String::new();
    if let Some(pm) = heap.pymalloc.as_ref() {
        out.push_str(&pymalloc_report(pm, &heap.profile));
        out.push('\n');
    }
    out.push_str(&type_report(&heap.profile, counts));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printone_matches_obmalloc() {
        let mut s = String::new();
        printone(&mut s, "# arenas allocated total", 7);
        printone(&mut s, "6 arenas * 262144 bytes/arena", 1_572_864);
        printone(&mut s, "Total", 0);
        assert_eq!(
            s,
            "# arenas allocated total           =                    7\n\
             6 arenas * 262144 bytes/arena      =            1,572,864\n\
             Total                              =                    0\n"
        );
    }

    #[test]
    fn allocator_line_matches_cpython() {
        let mut s = String::new();
        allocator_line(&mut s, "PyDictObject", 8, 48);
        allocator_line(&mut s, "10-sized PyTupleObject", 1, 104);
        assert_eq!(
            s,
            "            8 free PyDictObjects * 48 bytes each =                  384\n \
             1 free 10-sized PyTupleObjects * 104 bytes each =                  104\n"
        );
    }
}
