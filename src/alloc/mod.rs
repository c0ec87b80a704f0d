//! alloc: the memory CPython's objects live in, as `Objects/obmalloc.c` hands it out.
//!
//! `PyObject_Malloc`/`PyMem_Malloc` requests of 1..=512 bytes go to pymalloc ([`pymalloc`]) when the build has
//! it; requests of 0 or more than 512 bytes, and every request on a build without pymalloc (Pyodide), go to
//! the C library's malloc ([`raw`]). [`Heap`] routes each call the way `_PyObject_Malloc`, `_PyObject_Free`
//! and `_PyObject_Realloc` do, and records what happened as [`AllocEvent`]s for the trace.

pub mod pymalloc;
pub mod raw;
pub mod stats;
pub mod workload;

use crate::profile::{ArenaAlign, Profile, SMALL_REQUEST_THRESHOLD};
use pymalloc::Pymalloc;
use raw::RawHeap;
use serde::Serialize;
use std::fmt;

/// Where a pymalloc block sits: arena descriptor slot, pool index within the arena, block index within the
/// pool, and the pool's size class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct BlockLoc {
    pub arena: u32,
    pub pool: u32,
    pub block: u32,
    pub szidx: u16,
}

/// One observable change in the allocator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AllocEvent {
    /// A block (pymalloc, `loc` set) or a malloc chunk (`loc` None) was handed out.
    Malloc {
        address: u64,
        nbytes: u64,
        loc: Option<BlockLoc>,
    },
    Free {
        address: u64,
        loc: Option<BlockLoc>,
    },
    /// realloc kept the block where it was.
    ReallocInPlace {
        address: u64,
        nbytes: u64,
    },
    /// `new_arena()` mapped an arena into descriptor slot `arena`.
    NewArena {
        arena: u32,
        address: u64,
        ntotalpools: u32,
    },
    /// A wholly free arena was unmapped.
    ReleaseArena {
        arena: u32,
        address: u64,
    },
    /// A pool was taken for class `szidx`: `reused` when it last held the same class and kept its free list.
    PoolInit {
        arena: u32,
        pool: u32,
        szidx: u16,
        reused: bool,
    },
}

/// Most events kept for one step: a statement that loops a million times still shows its first events and
/// how many more there were, without the log growing with it.
pub const STATEMENT_EVENT_CAP: usize = 10_000;

/// Events of the current step; recording can be switched off for raw speed.
#[derive(Clone, Debug, Default)]
pub struct EventLog {
    pub enabled: bool,
    events: Vec<AllocEvent>,
    /// Events past [`STATEMENT_EVENT_CAP`] in this step, counted but not kept.
    pub dropped: u64,
}

impl EventLog {
    pub fn new(enabled: bool) -> EventLog {
        EventLog {
            enabled,
            events: Vec::new(),
            dropped: 0,
        }
    }

    #[inline]
    pub fn push(&mut self, e: AllocEvent) {
        if self.enabled {
            if self.events.len() < STATEMENT_EVENT_CAP {
                self.events.push(e);
            } else {
                self.dropped += 1;
            }
        }
    }

    pub fn take(&mut self) -> Vec<AllocEvent> {
        self.dropped = 0;
        std::mem::take(&mut self.events)
    }

    pub fn clear(&mut self) {
        self.events.clear();
        self.dropped = 0;
    }

    pub fn events(&self) -> &[AllocEvent] {
        &self.events
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllocError {
    /// free/realloc of an address that is not a live allocation (a double free, or never allocated).
    NotAllocated(u64),
    /// The simulated memory limit would be exceeded.
    OutOfMemory { nbytes: u64, limit: u64 },
}

impl fmt::Display for AllocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AllocError::NotAllocated(a) => write!(f, "{a:#x} is not an allocated block"),
            AllocError::OutOfMemory { nbytes, limit } => write!(
                f,
                "cannot allocate {nbytes} bytes: the simulated memory limit of {limit} bytes would be exceeded"
            ),
        }
    }
}

/// Default cap on simulated memory (arenas plus malloc chunks).
pub const DEFAULT_MEMORY_LIMIT: u64 = 1 << 30;

/// All memory of one simulated interpreter.
#[derive(Clone, Debug)]
pub struct Heap {
    pub profile: Profile,
    pub pymalloc: Option<Pymalloc>,
    pub raw: RawHeap,
    pub log: EventLog,
    pub limit: u64,
}

impl Heap {
    pub fn new(profile: Profile, align: ArenaAlign) -> Heap {
        Heap {
            profile,
            pymalloc: Pymalloc::new(&profile, align),
            raw: RawHeap::new(profile.arch),
            log: EventLog::new(true),
            limit: DEFAULT_MEMORY_LIMIT,
        }
    }

    /// Bytes of simulated memory mapped now: arenas plus malloc chunks.
    pub fn mapped_bytes(&self) -> u64 {
        let arenas = self
            .pymalloc
            .as_ref()
            .map_or(0, |p| p.narenas_currently_allocated * p.geometry.arena_size);
        arenas + self.raw.bytes_mapped()
    }

    fn check_limit(&self, extra: u64, nbytes: u64) -> Result<(), AllocError> {
        if self.mapped_bytes().saturating_add(extra) > self.limit {
            return Err(AllocError::OutOfMemory {
                nbytes,
                limit: self.limit,
            });
        }
        Ok(())
    }

    /// `_PyObject_Malloc`: pymalloc for 1..=512 bytes, else `PyMem_RawMalloc` (which turns 0 into 1).
    pub fn malloc(&mut self, nbytes: u64) -> Result<u64, AllocError> {
        if let Some(pm) = self.pymalloc.as_mut() {
            if (1..=SMALL_REQUEST_THRESHOLD).contains(&nbytes) {
                if pm.needs_new_arena(nbytes) {
                    let arena = pm.geometry.arena_size;
                    self.check_limit(arena, nbytes)?;
                }
                let pm = self.pymalloc.as_mut().expect("checked above");
                return Ok(pm.malloc(nbytes, &mut self.log));
            }
        }
        self.check_limit(self.raw.chunk_size(nbytes), nbytes)?;
        Ok(self.raw.malloc(nbytes, &mut self.log))
    }

    /// `_PyObject_Free`: pymalloc if `address_in_range`, else `PyMem_RawFree`.
    pub fn free(&mut self, addr: u64) -> Result<(), AllocError> {
        if let Some(pm) = self.pymalloc.as_mut() {
            if let Some(pool) = pm.pool_of(addr) {
                return pm.free_in(pool, addr, &mut self.log);
            }
        }
        self.raw.free(addr, &mut self.log)
    }

    /// Whether `addr` is a live allocation.
    pub fn is_live(&self, addr: u64) -> bool {
        match self.pymalloc.as_ref() {
            Some(pm) if pm.pool_of(addr).is_some() => pm.block_size(addr).is_ok(),
            _ => self.raw.is_live(addr),
        }
    }

    /// `_PyObject_Realloc` / `pymalloc_realloc`: a pymalloc block stays put when the new size fits its
    /// block and shrinks it by less than a quarter (`4*nbytes > 3*size`); otherwise malloc (pymalloc or
    /// raw), copy, free. A block that pymalloc does not own goes to the C realloc even when the new size is
    /// small ("let C continue to manage this block").
    pub fn realloc(&mut self, addr: u64, nbytes: u64) -> Result<u64, AllocError> {
        if let Some(pm) = self.pymalloc.as_ref() {
            if pm.pool_of(addr).is_some() {
                let size = pm.block_size(addr)?;
                if nbytes <= size && 4 * nbytes > 3 * size {
                    self.log.push(AllocEvent::ReallocInPlace {
                        address: addr,
                        nbytes,
                    });
                    return Ok(addr);
                }
                let new = self.malloc(nbytes)?;
                self.free(addr)?;
                return Ok(new);
            }
        }
        let grow = self.raw.realloc_growth(addr, nbytes)?;
        self.check_limit(grow, nbytes)?;
        self.raw.realloc(addr, nbytes, &mut self.log)
    }
}
