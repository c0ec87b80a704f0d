//! raw: the C library's malloc, where CPython sends requests of 0 and > 512 bytes (`PyMem_RawMalloc`), and
//! every request on a build without pymalloc (Pyodide, whose malloc is Emscripten's dlmalloc).
//!
//! This is a model of a malloc, not of glibc or dlmalloc in full: chunks carry the allocator's size header
//! and alignment (glibc x86_64: 16-byte alignment, 8-byte header, 32-byte minimum chunk; dlmalloc wasm32:
//! 8-byte alignment, 4-byte header, 16-byte minimum), a freed chunk is reused first by the next request of
//! the same chunk size (LIFO, as glibc's tcache and dlmalloc's small bins do), and otherwise chunks are cut
//! from the top of one heap. CPython's own numbers never depend on where malloc puts a chunk; the page
//! draws this region as what it is.

use super::{AllocError, AllocEvent, EventLog};
use crate::profile::Arch;
use crate::util::FxHashMap;
use serde::Serialize;

#[derive(Clone, Copy, Debug, Serialize)]
pub struct RawGeometry {
    pub alignment: u64,
    /// Bytes of chunk header that precede the user pointer's usable space.
    pub header: u64,
    /// Offset of the user pointer from the chunk start.
    pub user_offset: u64,
    pub min_chunk: u64,
    /// Address of the first chunk.
    pub base: u64,
}

impl RawGeometry {
    pub fn for_arch(arch: Arch) -> RawGeometry {
        match arch {
            // glibc: request2size(n) = max(MINSIZE 32, (n + SIZE_SZ 8 + 15) & ~15); mem = chunk + 16.
            // The base is a typical brk heap start of a PIE executable.
            Arch::X86_64 => RawGeometry {
                alignment: 16,
                header: 8,
                user_offset: 16,
                min_chunk: 32,
                base: 0x5581_3a2c_0000,
            },
            // dlmalloc, 32-bit: max(MIN_CHUNK_SIZE 16, (n + 4 + 7) & ~7); mem = chunk + 8.
            // The base is above Pyodide's static data in wasm linear memory.
            Arch::Wasm32 => RawGeometry {
                alignment: 8,
                header: 4,
                user_offset: 8,
                min_chunk: 16,
                base: 0x0100_0000,
            },
        }
    }
}

#[derive(Clone, Debug)]
pub struct RawHeap {
    pub geometry: RawGeometry,
    top: u64,
    /// user address → chunk size, for live chunks.
    live: FxHashMap<u64, u64>,
    /// chunk size → freed chunks' user addresses, most recently freed last.
    bins: FxHashMap<u64, Vec<u64>>,
    /// Bytes of chunks below the top (live or binned).
    mapped: u64,
}

impl RawHeap {
    pub fn new(arch: Arch) -> RawHeap {
        let geometry = RawGeometry::for_arch(arch);
        RawHeap {
            geometry,
            top: geometry.base,
            live: FxHashMap::default(),
            bins: FxHashMap::default(),
            mapped: 0,
        }
    }

    /// The chunk a request occupies (`malloc(0)` is `malloc(1)` in `_PyMem_RawMalloc`).
    pub fn chunk_size(&self, nbytes: u64) -> u64 {
        let g = &self.geometry;
        let n = nbytes.max(1);
        (n.saturating_add(g.header + g.alignment - 1) / g.alignment * g.alignment).max(g.min_chunk)
    }

    pub fn bytes_mapped(&self) -> u64 {
        self.mapped
    }

    pub fn live_chunks(&self) -> usize {
        self.live.len()
    }

    pub fn is_live(&self, addr: u64) -> bool {
        self.live.contains_key(&addr)
    }

    /// Live chunks as (user address, chunk size), by address.
    pub fn chunks(&self) -> Vec<(u64, u64)> {
        let mut v: Vec<_> = self.live.iter().map(|(a, c)| (*a, *c)).collect();
        crate::util::sort(&mut v);
        v
    }

    pub fn malloc(&mut self, nbytes: u64, log: &mut EventLog) -> u64 {
        let chunk = self.chunk_size(nbytes);
        let addr = match self.bins.get_mut(&chunk).and_then(|b| b.pop()) {
            Some(a) => a,
            None => {
                let a = self.top + self.geometry.user_offset;
                self.top += chunk;
                self.mapped += chunk;
                a
            }
        };
        self.live.insert(addr, chunk);
        log.push(AllocEvent::Malloc {
            address: addr,
            nbytes,
            loc: None,
        });
        addr
    }

    pub fn free(&mut self, addr: u64, log: &mut EventLog) -> Result<(), AllocError> {
        let chunk = self
            .live
            .remove(&addr)
            .ok_or(AllocError::NotAllocated(addr))?;
        self.bins.entry(chunk).or_default().push(addr);
        log.push(AllocEvent::Free {
            address: addr,
            loc: None,
        });
        Ok(())
    }

    /// Extra bytes a realloc would map (0 when it fits in place or reuses a binned chunk).
    pub fn realloc_growth(&self, addr: u64, nbytes: u64) -> Result<u64, AllocError> {
        let old = *self.live.get(&addr).ok_or(AllocError::NotAllocated(addr))?;
        let new = self.chunk_size(nbytes);
        Ok(new.saturating_sub(old))
    }

    /// C realloc: a chunk that still fits stays; the chunk at the top grows in place; otherwise the data
    /// moves to a new chunk and the old one is freed.
    pub fn realloc(
        &mut self,
        addr: u64,
        nbytes: u64,
        log: &mut EventLog,
    ) -> Result<u64, AllocError> {
        let old = *self.live.get(&addr).ok_or(AllocError::NotAllocated(addr))?;
        let new = self.chunk_size(nbytes);
        let at_top = addr - self.geometry.user_offset + old == self.top;
        if new <= old || at_top {
            if new > old {
                self.top += new - old;
                self.mapped += new - old;
                self.live.insert(addr, new);
            }
            log.push(AllocEvent::ReallocInPlace {
                address: addr,
                nbytes,
            });
            return Ok(addr);
        }
        let moved = self.malloc(nbytes, log);
        self.free(addr, log)?;
        Ok(moved)
    }
}
