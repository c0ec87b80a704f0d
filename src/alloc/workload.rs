//! workload: a deterministic mix of malloc, free and realloc calls, the benchmark load for the allocator
//! (natively in `benches/alloc_ops.rs`, in wasm through `benchMixedOps` under Node).

use super::Heap;

/// xorshift64*: fast, deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// A uniform index below `len` from the high bits of `r` (Lemire's multiply-shift, no division).
#[inline]
fn pick(r: u64, len: usize) -> usize {
    (((r >> 32) * len as u64) >> 32) as usize
}

/// Runs `ops` operations: about half mallocs (98 % of them 1..=512 bytes, the rest 0 or 513..4096), 40 %
/// frees of a random live block and 10 % reallocs, with the live set held near `live_target` blocks the way a
/// running program's heap stays roughly level. Returns a checksum of the addresses so the work cannot be
/// optimised away. The event log is switched off: this measures the allocator, not the trace.
pub fn mixed_ops(heap: &mut Heap, ops: u64, live_target: usize, seed: u64) -> u64 {
    let enabled = heap.log.enabled;
    heap.log.enabled = false;
    let mut rng = Rng(seed | 1);
    let mut live: Vec<u64> = Vec::with_capacity(live_target * 2);
    let mut sum = 0u64;
    for _ in 0..ops {
        let r = rng.next();
        let roll = r % 100;
        let grow = live.len() < live_target;
        if live.is_empty() || roll < if grow { 60 } else { 40 } {
            let n = if r % 50 == 0 {
                (r >> 20) % 4097
            } else {
                1 + (r >> 20) % 512
            };
            let a = heap
                .malloc(n)
                .expect("the benchmark stays far below the memory limit");
            live.push(a);
            sum = sum.wrapping_add(a);
        } else if roll < 90 {
            let a = live.swap_remove(pick(r, live.len()));
            heap.free(a).expect("a live block");
        } else {
            let i = pick(r, live.len());
            let n = 1 + (r >> 16) % 600;
            let a = heap.realloc(live[i], n).expect("a live block");
            live[i] = a;
            sum = sum.wrapping_add(a);
        }
    }
    for a in live {
        heap.free(a).expect("a live block");
    }
    heap.log.enabled = enabled;
    sum
}
