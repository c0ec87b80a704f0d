//! pymalloc: arenas, pools and blocks exactly as `Objects/obmalloc.c` manages them.
//!
//! Follows `pymalloc_alloc`, `allocate_from_new_pool`, `pymalloc_pool_extend`, `pymalloc_free`,
//! `insert_to_usedpool`, `insert_to_freepool`, `new_arena` and `pymalloc_realloc` (3.7.3 and 3.14 behave
//! the same; the version switches are named where they apply). State is plain data: arena descriptors in a
//! vector indexed like CPython's `arenas[]`, pools at `slot * 64 + k`, block states in a flat byte array
//! that the page reads as a typed array. Every pool's free list is a LIFO stack of block indices, which is
//! exactly what CPython's `freeblock` chain threaded through the blocks is.

use super::{AllocError, AllocEvent, BlockLoc, EventLog};
use crate::profile::{
    ArenaAlign, Profile, PymallocGeometry, DUMMY_SIZE_IDX, MAX_POOLS_IN_ARENA,
    SMALL_REQUEST_THRESHOLD,
};
use serde::Serialize;

/// INITIAL_ARENA_OBJECTS: the arena descriptor vector starts with 16 slots and doubles.
const INITIAL_ARENA_OBJECTS: usize = 16;
const NIL: u32 = u32::MAX;

/// Block states in [`Pymalloc::block_states`], the array the arena map draws.
pub const BLOCK_UNTOUCHED: u8 = 0;
pub const BLOCK_FREE: u8 = 1;
pub const BLOCK_USED: u8 = 2;

/// `struct arena_object`.
#[derive(Clone, Debug, Serialize)]
pub struct ArenaObject {
    /// Base address from mmap; 0 when the descriptor is unassociated (on `unused_arena_objects`).
    pub address: u64,
    /// Bump pointer for carving pools.
    pub pool_address: u64,
    pub nfreepools: u32,
    pub ntotalpools: u32,
    /// Head of the singly linked list of emptied pools (pool index within the arena), or NIL.
    #[serde(skip)]
    freepools: u32,
    #[serde(skip)]
    nextarena: u32,
    #[serde(skip)]
    prevarena: u32,
}

/// `struct pool_header`, minus the fields that are implied by the pool's position.
#[derive(Clone, Debug)]
struct Pool {
    /// ref.count: blocks in use.
    count: u32,
    /// The free list: top of stack = `freeblock`. Block indices within the pool.
    free: Vec<u16>,
    nextpool: u32,
    prevpool: u32,
    szidx: u16,
    nextoffset: u32,
    maxnextoffset: u32,
}

impl Pool {
    fn fresh() -> Pool {
        Pool {
            count: 0,
            free: Vec::new(),
            nextpool: NIL,
            prevpool: NIL,
            szidx: DUMMY_SIZE_IDX,
            nextoffset: 0,
            maxnextoffset: 0,
        }
    }
}

/// Where mmap puts arenas: top-down, the highest hole that fits first (as Linux's `unmapped_area_topdown`),
/// so a released arena's range is what the next new arena gets back. All arenas have the same size, so they
/// sit on a grid below `top`: grid index i covers `[top - (i+1)·ARENA_SIZE, top - i·ARENA_SIZE)`, and the
/// highest hole is the lowest free index. The grid also answers `address_in_range` with one vector lookup.
#[derive(Clone, Debug)]
struct ArenaSpace {
    top: u64,
    arena_bits: u32,
    /// Grid index → arena descriptor slot, or NIL for a hole.
    slots: Vec<u32>,
}

impl ArenaSpace {
    /// A typical 64-bit Linux mmap area; `top` is an odd multiple of the alignment so bases have exactly it.
    const MMAP_TOP: u64 = 0x7f3c_8b6a_0000;

    fn new(g: &PymallocGeometry, align: ArenaAlign) -> ArenaSpace {
        let unit = match align {
            ArenaAlign::Page => crate::profile::SYSTEM_PAGE_SIZE,
            ArenaAlign::Pool => g.pool_size,
            ArenaAlign::Arena => g.arena_size,
        };
        ArenaSpace {
            top: Self::MMAP_TOP / (2 * unit) * (2 * unit) + unit,
            arena_bits: g.arena_size.trailing_zeros(),
            slots: Vec::new(),
        }
    }

    fn map(&mut self, slot: u32) -> u64 {
        let i = match self.slots.iter().position(|&s| s == NIL) {
            Some(i) => i,
            None => {
                self.slots.push(NIL);
                self.slots.len() - 1
            }
        };
        self.slots[i] = slot;
        self.top - ((i as u64 + 1) << self.arena_bits)
    }

    fn unmap(&mut self, base: u64) {
        let i = ((self.top - base) >> self.arena_bits) as usize - 1;
        self.slots[i] = NIL;
    }

    /// The arena descriptor slot whose mapping contains `addr`.
    #[inline]
    fn slot_of(&self, addr: u64) -> Option<u32> {
        if addr >= self.top {
            return None;
        }
        let i = ((self.top - 1 - addr) >> self.arena_bits) as usize;
        match self.slots.get(i) {
            Some(&s) if s != NIL => Some(s),
            _ => None,
        }
    }
}

/// The arena map of 3.10+: which mid and bottom nodes have ever been created (they are never freed).
#[derive(Clone, Debug, Default)]
struct ArenaMapNodes {
    /// There are only ever a handful of nodes (one per 2**ARENA_BITS·2**MAP_BOT_BITS of address space).
    mids: Vec<u64>,
    bots: Vec<(u64, u64)>,
}

/// CPython's small-object allocator for one profile.
#[derive(Clone, Debug)]
pub struct Pymalloc {
    pub geometry: PymallocGeometry,
    keeps_one_free_arena: bool,
    nfp2lasta_rule: bool,
    arenas: Vec<ArenaObject>,
    unused_arena_objects: u32,
    usable_arenas: u32,
    /// nfp2lasta[n]: the rightmost arena in usable_arenas with n free pools (3.8+; kept for 3.7 too, unused).
    nfp2lasta: [u32; MAX_POOLS_IN_ARENA as usize + 1],
    /// usedpools[idx]: head of the list of partially used pools of class idx (pool ids), or NIL.
    usedpools: Vec<u32>,
    pools: Vec<Pool>,
    blocks: Vec<u8>,
    stride: u32,
    space: ArenaSpace,
    arena_map: ArenaMapNodes,
    pub ntimes_arena_allocated: u64,
    pub narenas_currently_allocated: u64,
    pub narenas_highwater: u64,
}

/// A pool id is `slot * MAX_POOLS_IN_ARENA + k`, k counted from the arena's first pool.
fn pool_id(slot: u32, k: u32) -> u32 {
    slot * MAX_POOLS_IN_ARENA + k
}

impl Pymalloc {
    pub fn new(profile: &Profile, align: ArenaAlign) -> Option<Pymalloc> {
        let geometry = profile.pymalloc()?;
        Some(Pymalloc {
            geometry,
            keeps_one_free_arena: profile.keeps_one_free_arena(),
            nfp2lasta_rule: profile.uses_nfp2lasta(),
            arenas: Vec::new(),
            unused_arena_objects: NIL,
            usable_arenas: NIL,
            nfp2lasta: [NIL; MAX_POOLS_IN_ARENA as usize + 1],
            usedpools: vec![NIL; geometry.nb_classes() as usize],
            pools: Vec::new(),
            blocks: Vec::new(),
            stride: geometry.max_blocks_per_pool(),
            space: ArenaSpace::new(&geometry, align),
            arena_map: ArenaMapNodes::default(),
            ntimes_arena_allocated: 0,
            narenas_currently_allocated: 0,
            narenas_highwater: 0,
        })
    }

    fn pool_bits(&self) -> u32 {
        self.geometry.pool_size.trailing_zeros()
    }

    /// First pool address of an arena: the base rounded up to POOL_SIZE (`new_arena`'s `excess` rule).
    #[inline]
    fn first_pool(&self, slot: u32) -> u64 {
        let mask = self.geometry.pool_size - 1;
        (self.arenas[slot as usize].address + mask) & !mask
    }

    pub fn pool_address(&self, pool: u32) -> u64 {
        let slot = pool / MAX_POOLS_IN_ARENA;
        self.first_pool(slot) + (pool % MAX_POOLS_IN_ARENA) as u64 * self.geometry.pool_size
    }

    fn block_address(&self, pool: u32, block: u32) -> u64 {
        let size = self.geometry.class_size(self.pools[pool as usize].szidx);
        self.pool_address(pool) + self.geometry.pool_overhead + block as u64 * size
    }

    fn block_index(&self, pool: u32, block: u32) -> usize {
        pool as usize * self.stride as usize + block as usize
    }

    fn set_block(&mut self, pool: u32, block: u32, state: u8) {
        let i = self.block_index(pool, block);
        self.blocks[i] = state;
    }

    fn loc(&self, pool: u32, block: u32) -> BlockLoc {
        BlockLoc {
            arena: pool / MAX_POOLS_IN_ARENA,
            pool: pool % MAX_POOLS_IN_ARENA,
            block,
            szidx: self.pools[pool as usize].szidx,
        }
    }

    // ---------------------------------------------------------------- arenas

    /// `new_arena()`: take a descriptor from `unused_arena_objects` (growing the vector 16, 32, 64 …), mmap
    /// ARENA_SIZE bytes, lose one pool if the base is not pool-aligned, mark the arena map (3.10+).
    fn new_arena(&mut self, log: &mut EventLog) -> u32 {
        if self.unused_arena_objects == NIL {
            let old = self.arenas.len();
            let new = if old == 0 {
                INITIAL_ARENA_OBJECTS
            } else {
                old << 1
            };
            for i in old..new {
                self.arenas.push(ArenaObject {
                    address: 0,
                    pool_address: 0,
                    nfreepools: 0,
                    ntotalpools: 0,
                    freepools: NIL,
                    nextarena: if i + 1 < new { (i + 1) as u32 } else { NIL },
                    prevarena: NIL,
                });
            }
            self.unused_arena_objects = old as u32;
            self.pools
                .resize(new * MAX_POOLS_IN_ARENA as usize, Pool::fresh());
            self.blocks.resize(
                new * MAX_POOLS_IN_ARENA as usize * self.stride as usize,
                BLOCK_UNTOUCHED,
            );
        }
        let slot = self.unused_arena_objects;
        let address = self.space.map(slot);
        self.mark_arena_map(address);
        let g = self.geometry;
        let a = &mut self.arenas[slot as usize];
        self.unused_arena_objects = a.nextarena;
        a.address = address;
        a.freepools = NIL;
        a.pool_address = address;
        a.nfreepools = MAX_POOLS_IN_ARENA;
        let excess = address & (g.pool_size - 1);
        if excess != 0 {
            a.nfreepools -= 1;
            a.pool_address += g.pool_size - excess;
        }
        a.ntotalpools = a.nfreepools;
        let ntotalpools = a.ntotalpools;
        self.narenas_currently_allocated += 1;
        self.ntimes_arena_allocated += 1;
        self.narenas_highwater = self.narenas_highwater.max(self.narenas_currently_allocated);
        for k in 0..ntotalpools {
            self.pools[pool_id(slot, k) as usize] = Pool::fresh();
        }
        let start = self.block_index(pool_id(slot, 0), 0);
        let end = start + (MAX_POOLS_IN_ARENA * self.stride) as usize;
        self.blocks[start..end].fill(BLOCK_UNTOUCHED);
        log.push(AllocEvent::NewArena {
            arena: slot,
            address,
            ntotalpools,
        });
        slot
    }

    /// `arena_map_mark_used(base, 1)`: the arena's own ARENA_SIZE chunk, and the next one when the base is
    /// not arena-aligned, get their nodes created. Nodes are never freed, so only creation is tracked.
    fn mark_arena_map(&mut self, base: u64) {
        let Some(r) = self.geometry.radix else { return };
        let tail = base & (self.geometry.arena_size - 1);
        let chunks: &[u64] = if tail == 0 {
            &[base]
        } else {
            &[base, base + self.geometry.arena_size]
        };
        for &c in chunks {
            let key = r.node_key(c);
            if !self.arena_map.mids.contains(&key.0) {
                self.arena_map.mids.push(key.0);
            }
            if !self.arena_map.bots.contains(&key) {
                self.arena_map.bots.push(key);
            }
        }
    }

    /// Release a wholly free arena (obmalloc "Case 1"): back on `unused_arena_objects`, munmap.
    fn release_arena(&mut self, slot: u32, log: &mut EventLog) {
        let (prev, next) = {
            let a = &self.arenas[slot as usize];
            (a.prevarena, a.nextarena)
        };
        if prev == NIL {
            self.usable_arenas = next;
        } else {
            self.arenas[prev as usize].nextarena = next;
        }
        if next != NIL {
            self.arenas[next as usize].prevarena = prev;
        }
        let address = self.arenas[slot as usize].address;
        let a = &mut self.arenas[slot as usize];
        a.nextarena = self.unused_arena_objects;
        self.unused_arena_objects = slot;
        a.address = 0;
        self.space.unmap(address);
        self.narenas_currently_allocated -= 1;
        log.push(AllocEvent::ReleaseArena {
            arena: slot,
            address,
        });
    }

    // ---------------------------------------------------------------- allocation

    /// Whether a request of `nbytes` would have to map a new arena (no used pool of its class, no usable arena).
    pub fn needs_new_arena(&self, nbytes: u64) -> bool {
        self.usedpools[self.geometry.class_of(nbytes) as usize] == NIL && self.usable_arenas == NIL
    }

    /// `pymalloc_alloc` for 1 ≤ nbytes ≤ 512: the head of `usedpools[idx]`, else a new pool.
    pub fn malloc(&mut self, nbytes: u64, log: &mut EventLog) -> u64 {
        debug_assert!((1..=SMALL_REQUEST_THRESHOLD).contains(&nbytes));
        let idx = self.geometry.class_of(nbytes);
        let head = self.usedpools[idx as usize];
        let (pool, block) = if head != NIL {
            let p = &mut self.pools[head as usize];
            p.count += 1;
            let bp = p.free.pop().expect("a pool in usedpools has a free block");
            if p.free.is_empty() {
                self.pool_extend(head);
            }
            (head, bp as u32)
        } else {
            self.allocate_from_new_pool(idx, log)
        };
        self.set_block(pool, block, BLOCK_USED);
        let addr = self.block_address(pool, block);
        log.push(AllocEvent::Malloc {
            address: addr,
            nbytes,
            loc: Some(self.loc(pool, block)),
        });
        addr
    }

    /// `pymalloc_pool_extend`: the free list ran out; carve the next virgin block at `nextoffset`, or, when
    /// there is none, the pool is full and leaves `usedpools`.
    fn pool_extend(&mut self, pool: u32) {
        let g = self.geometry;
        let p = &mut self.pools[pool as usize];
        if p.nextoffset <= p.maxnextoffset {
            let size = g.class_size(p.szidx);
            let b = ((p.nextoffset as u64 - g.pool_overhead) / size) as u16;
            p.free.push(b);
            p.nextoffset += size as u32;
            self.set_block(pool, b as u32, BLOCK_FREE);
        } else {
            self.unlink_used(pool);
        }
    }

    fn unlink_used(&mut self, pool: u32) {
        let (next, prev, szidx) = {
            let p = &self.pools[pool as usize];
            (p.nextpool, p.prevpool, p.szidx)
        };
        if prev == NIL {
            self.usedpools[szidx as usize] = next;
        } else {
            self.pools[prev as usize].nextpool = next;
        }
        if next != NIL {
            self.pools[next as usize].prevpool = prev;
        }
        let p = &mut self.pools[pool as usize];
        p.nextpool = NIL;
        p.prevpool = NIL;
    }

    /// Front-link a pool into usedpools[szidx] (`insert_to_usedpool`, and the new-pool path).
    fn link_used_front(&mut self, pool: u32) {
        let szidx = self.pools[pool as usize].szidx;
        let head = self.usedpools[szidx as usize];
        if head != NIL {
            self.pools[head as usize].prevpool = pool;
        }
        let p = &mut self.pools[pool as usize];
        p.nextpool = head;
        p.prevpool = NIL;
        self.usedpools[szidx as usize] = pool;
    }

    /// `allocate_from_new_pool` (inline in 3.7/3.8 `pymalloc_alloc`): the head of `usable_arenas` gives a
    /// pool, its cached `freepools` first (LIFO), else a newly carved one.
    fn allocate_from_new_pool(&mut self, idx: u16, log: &mut EventLog) -> (u32, u32) {
        if self.usable_arenas == NIL {
            let slot = self.new_arena(log);
            let a = &mut self.arenas[slot as usize];
            a.nextarena = NIL;
            a.prevarena = NIL;
            self.usable_arenas = slot;
            self.nfp2lasta[a.nfreepools as usize] = slot;
        }
        let ua = self.usable_arenas;
        let nf = self.arenas[ua as usize].nfreepools;
        // The head already has the fewest free pools, so taking one keeps the order; only the fingers move.
        if self.nfp2lasta[nf as usize] == ua {
            self.nfp2lasta[nf as usize] = NIL;
        }
        if nf > 1 {
            self.nfp2lasta[nf as usize - 1] = ua;
        }
        let a = &mut self.arenas[ua as usize];
        let k = if a.freepools != NIL {
            let k = a.freepools;
            a.freepools = self.pools[pool_id(ua, k) as usize].nextpool;
            k
        } else {
            let mask = self.geometry.pool_size - 1;
            let k = ((a.pool_address - ((a.address + mask) & !mask))
                >> self.geometry.pool_size.trailing_zeros()) as u32;
            a.pool_address += self.geometry.pool_size;
            self.pools[pool_id(ua, k) as usize].szidx = DUMMY_SIZE_IDX;
            k
        };
        let a = &mut self.arenas[ua as usize];
        a.nfreepools -= 1;
        if a.nfreepools == 0 {
            // Wholly allocated: the arena leaves usable_arenas.
            self.usable_arenas = a.nextarena;
            if self.usable_arenas != NIL {
                self.arenas[self.usable_arenas as usize].prevarena = NIL;
            }
            let a = &mut self.arenas[ua as usize];
            a.nextarena = NIL;
            a.prevarena = NIL;
        }
        let pool = pool_id(ua, k);
        let reused = self.pools[pool as usize].szidx == idx;
        if !reused {
            // Initialise: the first block is returned, the second is the free list, the rest are virgin.
            let g = self.geometry;
            let size = g.class_size(idx);
            let base = self.block_index(pool, 0);
            self.blocks[base..base + self.stride as usize].fill(BLOCK_UNTOUCHED);
            let p = &mut self.pools[pool as usize];
            p.szidx = idx;
            p.free.clear();
            p.free.push(1);
            p.nextoffset = (g.pool_overhead + 2 * size) as u32;
            p.maxnextoffset = (g.pool_size - size) as u32;
            self.set_block(pool, 1, BLOCK_FREE);
        }
        self.pools[pool as usize].count = 1;
        self.link_used_front(pool);
        log.push(AllocEvent::PoolInit {
            arena: ua,
            pool: k,
            szidx: idx,
            reused,
        });
        let block = if reused {
            // The cached pool kept its free list and nextoffset: pop the head.
            let p = &mut self.pools[pool as usize];
            let b = p
                .free
                .pop()
                .expect("an emptied pool keeps at least two free blocks");
            debug_assert!(!p.free.is_empty());
            b as u32
        } else {
            0
        };
        (pool, block)
    }

    // ---------------------------------------------------------------- free

    /// The pool holding `addr` if pymalloc owns it (`address_in_range`).
    #[inline]
    pub fn pool_of(&self, addr: u64) -> Option<u32> {
        let slot = self.space.slot_of(addr)?;
        let first = self.first_pool(slot);
        if addr < first {
            return None; // the partial page run before the first pool when the base is not pool-aligned
        }
        let k = (addr - first) >> self.pool_bits();
        (k < self.arenas[slot as usize].ntotalpools as u64).then(|| pool_id(slot, k as u32))
    }

    /// Pool and block of a live block, or why `addr` is not one.
    fn locate(&self, addr: u64) -> Result<(u32, u32), AllocError> {
        let pool = self.pool_of(addr).ok_or(AllocError::NotAllocated(addr))?;
        self.locate_in(pool, addr)
    }

    /// The block at `addr` in `pool` (pools are POOL_SIZE-aligned, so the offset is the low bits). Blocks past
    /// a class's NUMBLOCKS are never marked used, so the state check also rejects them.
    #[inline]
    fn locate_in(&self, pool: u32, addr: u64) -> Result<(u32, u32), AllocError> {
        let p = &self.pools[pool as usize];
        if p.szidx == DUMMY_SIZE_IDX {
            return Err(AllocError::NotAllocated(addr));
        }
        let size = self.geometry.class_size(p.szidx) as u32;
        let off = (addr & (self.geometry.pool_size - 1)) as u32;
        let rel = off.wrapping_sub(self.geometry.pool_overhead as u32);
        let block = rel / size;
        if off < self.geometry.pool_overhead as u32
            || block * size != rel
            || block >= self.stride
            || self.blocks[self.block_index(pool, block)] != BLOCK_USED
        {
            return Err(AllocError::NotAllocated(addr));
        }
        Ok((pool, block))
    }

    /// Block size of a live pymalloc block.
    pub fn block_size(&self, addr: u64) -> Result<u64, AllocError> {
        let (pool, _) = self.locate(addr)?;
        Ok(self.geometry.class_size(self.pools[pool as usize].szidx))
    }

    /// `pymalloc_free`: push on the pool's free list; a full pool goes back to the front of usedpools, an
    /// emptied one to its arena's freepools, and the arena is re-sorted or released.
    pub fn free(&mut self, addr: u64, log: &mut EventLog) -> Result<(), AllocError> {
        let pool = self.pool_of(addr).ok_or(AllocError::NotAllocated(addr))?;
        self.free_in(pool, addr, log)
    }

    /// `pymalloc_free` once `address_in_range` has found the pool.
    pub fn free_in(&mut self, pool: u32, addr: u64, log: &mut EventLog) -> Result<(), AllocError> {
        let (pool, block) = self.locate_in(pool, addr)?;
        log.push(AllocEvent::Free {
            address: addr,
            loc: Some(self.loc(pool, block)),
        });
        self.set_block(pool, block, BLOCK_FREE);
        let p = &mut self.pools[pool as usize];
        let was_full = p.free.is_empty();
        p.free.push(block as u16);
        p.count -= 1;
        if was_full {
            self.link_used_front(pool);
            return Ok(());
        }
        if self.pools[pool as usize].count != 0 {
            return Ok(());
        }
        self.insert_to_freepool(pool, log);
        Ok(())
    }

    /// `insert_to_freepool` (3.9+; inline in 3.7/3.8): the emptied pool joins its arena's freepools and the
    /// arena's place in `usable_arenas` is mended.
    fn insert_to_freepool(&mut self, pool: u32, log: &mut EventLog) {
        self.unlink_used(pool);
        let slot = pool / MAX_POOLS_IN_ARENA;
        let k = pool % MAX_POOLS_IN_ARENA;
        let freepools = self.arenas[slot as usize].freepools;
        self.pools[pool as usize].nextpool = freepools;
        self.arenas[slot as usize].freepools = k;
        let mut nf = self.arenas[slot as usize].nfreepools;
        let lastnf = self.nfp2lasta[nf as usize];
        if lastnf == slot {
            // ao was the rightmost arena with nf free pools; the finger moves left if the neighbour matches.
            let p = self.arenas[slot as usize].prevarena;
            self.nfp2lasta[nf as usize] = if p != NIL && self.arenas[p as usize].nfreepools == nf {
                p
            } else {
                NIL
            };
        }
        nf += 1;
        self.arenas[slot as usize].nfreepools = nf;
        let (ntotal, next) = {
            let a = &self.arenas[slot as usize];
            (a.ntotalpools, a.nextarena)
        };

        // Case 1: wholly free. 3.7–3.8 release it at once; 3.9+ keep it if it is the last usable arena.
        if nf == ntotal && (!self.keeps_one_free_arena || next != NIL) {
            self.release_arena(slot, log);
            return;
        }
        // Case 2: the arena had been full and was on no list: it now has the fewest free pools.
        if nf == 1 {
            let head = self.usable_arenas;
            let a = &mut self.arenas[slot as usize];
            a.nextarena = head;
            a.prevarena = NIL;
            if head != NIL {
                self.arenas[head as usize].prevarena = slot;
            }
            self.usable_arenas = slot;
            if self.nfp2lasta[1] == NIL {
                self.nfp2lasta[1] = slot;
            }
            return;
        }
        if self.nfp2lasta[nf as usize] == NIL {
            self.nfp2lasta[nf as usize] = slot;
        }
        if self.nfp2lasta_rule {
            // 3.8+ Case 3: ao was the rightmost with nf-1 pools, so it is still in order.
            if lastnf == slot {
                return;
            }
            // Case 4: move ao right after lastnf, the old rightmost arena with nf-1 free pools.
            self.unlink_usable(slot);
            self.insert_usable_after(slot, lastnf);
        } else {
            // 3.7: walk right while the next arena has fewer free pools, and insert there.
            let next = self.arenas[slot as usize].nextarena;
            if next == NIL || nf <= self.arenas[next as usize].nfreepools {
                return;
            }
            self.unlink_usable(slot);
            let mut after = next;
            loop {
                let n = self.arenas[after as usize].nextarena;
                if n == NIL || nf <= self.arenas[n as usize].nfreepools {
                    break;
                }
                after = n;
            }
            self.insert_usable_after(slot, after);
        }
    }

    fn unlink_usable(&mut self, slot: u32) {
        let (prev, next) = {
            let a = &self.arenas[slot as usize];
            (a.prevarena, a.nextarena)
        };
        if prev != NIL {
            self.arenas[prev as usize].nextarena = next;
        } else {
            self.usable_arenas = next;
        }
        if next != NIL {
            self.arenas[next as usize].prevarena = prev;
        }
    }

    fn insert_usable_after(&mut self, slot: u32, after: u32) {
        let next = self.arenas[after as usize].nextarena;
        {
            let a = &mut self.arenas[slot as usize];
            a.prevarena = after;
            a.nextarena = next;
        }
        if next != NIL {
            self.arenas[next as usize].prevarena = slot;
        }
        self.arenas[after as usize].nextarena = slot;
    }

    // ---------------------------------------------------------------- reporting and drawing

    pub fn arenas(&self) -> &[ArenaObject] {
        &self.arenas
    }

    /// Arena slots in `usable_arenas` order.
    pub fn usable_arenas(&self) -> Vec<u32> {
        let mut out = Vec::new();
        let mut a = self.usable_arenas;
        while a != NIL {
            out.push(a);
            a = self.arenas[a as usize].nextarena;
        }
        out
    }

    /// Pool ids in `usedpools[idx]` order.
    pub fn used_pools(&self, idx: u16) -> Vec<u32> {
        let mut out = Vec::new();
        let mut p = self.usedpools[idx as usize];
        while p != NIL {
            out.push(p);
            p = self.pools[p as usize].nextpool;
        }
        out
    }

    /// Pool indices on an arena's freepools list, head first.
    pub fn free_pools(&self, slot: u32) -> Vec<u32> {
        let mut out = Vec::new();
        let mut k = self.arenas[slot as usize].freepools;
        while k != NIL {
            out.push(k);
            k = self.pools[pool_id(slot, k) as usize].nextpool;
        }
        out
    }

    /// Number of pools carved from an arena so far (pools below the bump pointer).
    pub fn carved_pools(&self, slot: u32) -> u32 {
        let a = &self.arenas[slot as usize];
        if a.address == 0 {
            return 0;
        }
        ((a.pool_address - self.first_pool(slot)) / self.geometry.pool_size) as u32
    }

    /// Facts about one pool for views and reports.
    pub fn pool_info(&self, pool: u32) -> PoolInfo {
        let p = &self.pools[pool as usize];
        let slot = pool / MAX_POOLS_IN_ARENA;
        let k = pool % MAX_POOLS_IN_ARENA;
        let carved = k < self.carved_pools(slot);
        let state = if !carved {
            PoolState::Uncarved
        } else if p.count == 0 {
            PoolState::Empty
        } else if p.free.is_empty() {
            PoolState::Full
        } else {
            PoolState::Used
        };
        PoolInfo {
            arena: slot,
            pool: k,
            address: self.pool_address(pool),
            state,
            szidx: p.szidx,
            count: p.count,
            nextoffset: p.nextoffset,
            maxnextoffset: p.maxnextoffset,
            free_list: p.free.iter().rev().map(|&b| b as u32).collect(),
        }
    }

    /// Block states, `stride` entries per pool slot, 64 pool slots per arena slot.
    pub fn block_states(&self) -> &[u8] {
        &self.blocks
    }

    pub fn stride(&self) -> u32 {
        self.stride
    }

    pub fn arena_map_counts(&self) -> (u64, u64) {
        (
            self.arena_map.mids.len() as u64,
            self.arena_map.bots.len() as u64,
        )
    }

    /// Live blocks in pools, Σ ref.count.
    pub fn allocated_blocks(&self) -> u64 {
        (0..self.arenas.len() as u32)
            .filter(|&s| self.arenas[s as usize].address != 0)
            .flat_map(|s| (0..self.carved_pools(s)).map(move |k| pool_id(s, k)))
            .map(|id| self.pools[id as usize].count as u64)
            .sum()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PoolState {
    /// Not yet carved from the arena (below `pool_address` is carved).
    Uncarved,
    /// On the arena's freepools list (ref.count == 0).
    Empty,
    /// In usedpools: some blocks free.
    Used,
    /// No free block: on no list.
    Full,
}

#[derive(Clone, Debug, Serialize)]
pub struct PoolInfo {
    pub arena: u32,
    pub pool: u32,
    pub address: u64,
    pub state: PoolState,
    pub szidx: u16,
    pub count: u32,
    pub nextoffset: u32,
    pub maxnextoffset: u32,
    /// Block indices in free-list order, `freeblock` first.
    pub free_list: Vec<u32>,
}
