//! profile: a CPython release (X.Y.Z) and an arch, and every constant and rule switch that follows from them.
//!
//! Follows `Include/patchlevel.h` (what a release is), `configure.ac` (`WITH_PYMALLOC` per platform; Pyodide
//! also passes `--without-pymalloc`) and `Objects/obmalloc.c` / `Include/internal/pycore_obmalloc.h` (3.12+)
//! for the pymalloc geometry. The rest of the crate asks the profile; it never compares version numbers itself.

use serde::Serialize;
use std::fmt;

/// Where the interpreter runs. The two differ in pointer width and in whether pymalloc exists at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Arch {
    /// 64-bit Linux build: 8-byte pointers, pymalloc on (every native build the oracle has).
    X86_64,
    /// CPython as Pyodide builds it: 4-byte pointers, `--without-pymalloc`, every object from
    /// Emscripten's malloc (configure.ac defaults pymalloc off for Emscripten from 3.11; Pyodide passes
    /// the flag explicitly for every version it ships).
    Wasm32,
}

impl Arch {
    pub const ALL: [Arch; 2] = [Arch::X86_64, Arch::Wasm32];

    pub fn name(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Wasm32 => "wasm32",
        }
    }

    pub fn parse(s: &str) -> Result<Arch, ProfileError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "x86_64" | "x86-64" | "amd64" | "x64" => Ok(Arch::X86_64),
            "wasm32" | "wasm" | "pyodide" => Ok(Arch::Wasm32),
            other => Err(ProfileError(format!(
                "unknown arch '{other}': supported arches are x86_64 (64-bit, pymalloc) and wasm32 (Pyodide: 32-bit, no pymalloc)"
            ))),
        }
    }

    pub fn pointer_size(self) -> u64 {
        match self {
            Arch::X86_64 => 8,
            Arch::Wasm32 => 4,
        }
    }
}

/// Release level of a version, ordered as CPython orders them (`PY_RELEASE_LEVEL_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Alpha,
    Beta,
    Candidate,
    Final,
}

/// A CPython release such as 3.12.1 or 3.15.0rc1. Ordered by release date within the 3.x line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Version {
    pub minor: u8,
    pub patch: u8,
    pub level: Level,
    pub serial: u8,
}

/// The first and last 3.x series the simulator models.
pub const OLDEST_MINOR: u8 = 7;
pub const NEWEST_MINOR: u8 = 15;

/// The newest patch release of each series that the simulator knows; `X.Y` alone means this one.
/// (3.7 and 3.8 are end-of-life at these; the others are the newest releases the oracle knows of.)
const NEWEST_PATCH: [(u8, u8); 9] = [
    (7, 17),
    (8, 20),
    (9, 25),
    (10, 19),
    (11, 14),
    (12, 12),
    (13, 18),
    (14, 10),
    (15, 2),
];

fn newest_patch(minor: u8) -> Option<u8> {
    NEWEST_PATCH
        .iter()
        .find(|(m, _)| *m == minor)
        .map(|(_, p)| *p)
}

impl Version {
    pub const fn new(minor: u8, patch: u8) -> Version {
        Version {
            minor,
            patch,
            level: Level::Final,
            serial: 0,
        }
    }

    /// Parses `3.Y`, `3.Y.Z` and `3.Y.ZaN` / `bN` / `rcN`.
    pub fn parse(text: &str) -> Result<Version, ProfileError> {
        let s = text.trim();
        let bad = || {
            ProfileError(format!(
                "unknown Python version '{s}': {}",
                supported_versions_text()
            ))
        };
        let rest = s.strip_prefix("3.").ok_or_else(bad)?;
        let (minor_text, patch_text) = match rest.split_once('.') {
            Some((m, p)) => (m, Some(p)),
            None => (rest, None),
        };
        let minor: u8 = parse_small(minor_text).ok_or_else(bad)?;
        if !(OLDEST_MINOR..=NEWEST_MINOR).contains(&minor) {
            return Err(bad());
        }
        let newest = newest_patch(minor).ok_or_else(bad)?;
        let Some(patch_text) = patch_text else {
            return Ok(Version::new(minor, newest));
        };
        let digits_end = patch_text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(patch_text.len());
        let patch: u8 = parse_small(&patch_text[..digits_end]).ok_or_else(bad)?;
        let suffix = &patch_text[digits_end..];
        let (level, serial) = if suffix.is_empty() {
            (Level::Final, 0)
        } else {
            let (level, n) = if let Some(n) = suffix.strip_prefix("rc") {
                (Level::Candidate, n)
            } else if let Some(n) = suffix.strip_prefix('a') {
                (Level::Alpha, n)
            } else if let Some(n) = suffix.strip_prefix('b') {
                (Level::Beta, n)
            } else {
                return Err(bad());
            };
            // Pre-releases exist only for X.Y.0.
            if patch != 0 {
                return Err(bad());
            }
            (level, parse_small(n).filter(|n| *n > 0).ok_or_else(bad)?)
        };
        if patch > newest {
            return Err(ProfileError(format!(
                "unknown Python version '{s}': the newest 3.{minor} release the simulator knows is 3.{minor}.{newest}"
            )));
        }
        Ok(Version {
            minor,
            patch,
            level,
            serial,
        })
    }

    /// True when this release is at or after 3.`minor`.`patch` (final).
    pub fn at_least(&self, minor: u8, patch: u8) -> bool {
        (self.minor, self.patch) >= (minor, patch)
    }
}

fn parse_small(s: &str) -> Option<u8> {
    if s.is_empty() || s.len() > 3 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "3.{}.{}", self.minor, self.patch)?;
        match self.level {
            Level::Alpha => write!(f, "a{}", self.serial),
            Level::Beta => write!(f, "b{}", self.serial),
            Level::Candidate => write!(f, "rc{}", self.serial),
            Level::Final => Ok(()),
        }
    }
}

pub fn supported_versions_text() -> String {
    format!(
        "supported versions are 3.{OLDEST_MINOR} to 3.{NEWEST_MINOR}, as X.Y (the newest patch release) or an exact release such as 3.7.3, 3.12.1 or 3.14.2"
    )
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileError(pub String);

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ProfileError {}

/// Where the arena base addresses that mmap returns sit relative to pool and arena boundaries.
/// Real runs depend on ASLR; on 64-bit Linux bases are page-aligned but usually not pool-aligned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ArenaAlign {
    /// Page-aligned, not pool-aligned when pools are larger than a page (3.10+ 64-bit loses one pool).
    Page,
    /// Aligned to POOL_SIZE: no pool lost to alignment.
    Pool,
    /// Aligned to ARENA_SIZE: no pool lost, and the radix tree sees a zero tail.
    Arena,
}

impl ArenaAlign {
    pub fn parse(s: &str) -> Result<ArenaAlign, ProfileError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "page" => Ok(ArenaAlign::Page),
            "pool" => Ok(ArenaAlign::Pool),
            "arena" => Ok(ArenaAlign::Arena),
            other => Err(ProfileError(format!(
                "unknown arena alignment '{other}': use page (the default: page-aligned, usually not pool-aligned), pool or arena"
            ))),
        }
    }
}

/// pymalloc's geometry for one profile (`Objects/obmalloc.c`, `pycore_obmalloc.h`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct PymallocGeometry {
    /// log2(ALIGNMENT): 3 for 8-byte classes, 4 for 16-byte classes.
    pub alignment_shift: u32,
    pub pool_size: u64,
    pub arena_size: u64,
    /// POOL_OVERHEAD: sizeof(struct pool_header) rounded up to ALIGNMENT.
    pub pool_overhead: u64,
    /// The arena-map radix tree (3.10+), if this build has one.
    pub radix: Option<RadixGeometry>,
}

/// SMALL_REQUEST_THRESHOLD: the largest request pymalloc serves (all versions).
pub const SMALL_REQUEST_THRESHOLD: u64 = 512;
/// MAX_POOLS_IN_ARENA = ARENA_SIZE / POOL_SIZE: 64 in every layout the simulator models.
pub const MAX_POOLS_IN_ARENA: u32 = 64;
/// `szidx` of a pool that was carved but never initialised (DUMMY_SIZE_IDX).
pub const DUMMY_SIZE_IDX: u16 = 0xffff;
/// The page size mmap hands out on the modelled platforms.
pub const SYSTEM_PAGE_SIZE: u64 = 4096;

impl PymallocGeometry {
    pub fn alignment(&self) -> u64 {
        1 << self.alignment_shift
    }

    /// NB_SMALL_SIZE_CLASSES = SMALL_REQUEST_THRESHOLD / ALIGNMENT.
    pub fn nb_classes(&self) -> u32 {
        (SMALL_REQUEST_THRESHOLD >> self.alignment_shift) as u32
    }

    /// INDEX2SIZE(idx) = (idx + 1) << ALIGNMENT_SHIFT.
    pub fn class_size(&self, idx: u16) -> u64 {
        (idx as u64 + 1) << self.alignment_shift
    }

    /// The size class of a request of 1..=512 bytes: (nbytes - 1) >> ALIGNMENT_SHIFT.
    pub fn class_of(&self, nbytes: u64) -> u16 {
        debug_assert!((1..=SMALL_REQUEST_THRESHOLD).contains(&nbytes));
        ((nbytes - 1) >> self.alignment_shift) as u16
    }

    /// NUMBLOCKS(idx) = (POOL_SIZE - POOL_OVERHEAD) / INDEX2SIZE(idx).
    pub fn blocks_per_pool(&self, idx: u16) -> u32 {
        ((self.pool_size - self.pool_overhead) / self.class_size(idx)) as u32
    }

    /// The most blocks any class fits in a pool (class 0).
    pub fn max_blocks_per_pool(&self) -> u32 {
        self.blocks_per_pool(0)
    }

    /// Bytes a pool of class `idx` wastes at its end: (POOL_SIZE - POOL_OVERHEAD) % size.
    pub fn quantization(&self, idx: u16) -> u64 {
        (self.pool_size - self.pool_overhead) % self.class_size(idx)
    }
}

/// The arena map of 3.10+ (`arena_map_root`/`mid`/`bot` in obmalloc): node geometry as that version builds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct RadixGeometry {
    /// ADDRESS_BITS: 48 in 3.10 (bpo-37448), 64 from 3.11 (bpo-45526).
    pub address_bits: u32,
    /// ARENA_BITS: log2(ARENA_SIZE).
    pub arena_bits: u32,
    /// MAP_TOP_BITS = MAP_MID_BITS = INTERIOR_BITS; 0 when there are no interior nodes (32-bit).
    pub interior_bits: u32,
    /// MAP_BOT_BITS.
    pub bot_bits: u32,
}

impl RadixGeometry {
    fn new(address_bits: u32, arena_bits: u32, interior: bool) -> RadixGeometry {
        if interior {
            // INTERIOR_BITS = (ADDRESS_BITS - ARENA_BITS + 2) / 3; MAP_BOT_BITS takes the rest. Written as
            // pycore_obmalloc.h writes it.
            #[allow(clippy::manual_div_ceil)]
            let interior_bits = (address_bits - arena_bits + 2) / 3;
            RadixGeometry {
                address_bits,
                arena_bits,
                interior_bits,
                bot_bits: address_bits - arena_bits - 2 * interior_bits,
            }
        } else {
            RadixGeometry {
                address_bits,
                arena_bits,
                interior_bits: 0,
                bot_bits: address_bits - arena_bits,
            }
        }
    }

    /// Bytes of the static root (`sizeof(arena_map_root)`): 2^TOP_BITS pointers, or the bottom array itself
    /// when there are no interior nodes.
    pub fn root_bytes(&self, pointer_size: u64) -> u64 {
        if self.interior_bits > 0 {
            (1u64 << self.interior_bits) * pointer_size
        } else {
            self.bot_node_bytes()
        }
    }

    /// Bytes of one mid node: 2^MID_BITS pointers.
    pub fn mid_node_bytes(&self, pointer_size: u64) -> u64 {
        (1u64 << self.interior_bits) * pointer_size
    }

    /// Bytes of one bottom node: 2^BOT_BITS `arena_coverage_t` (two int32).
    pub fn bot_node_bytes(&self) -> u64 {
        (1u64 << self.bot_bits) * 8
    }

    /// The (top, mid) indices of the chunk holding `addr`: a mid node per distinct top, a bottom node per
    /// distinct pair (`arena_map_get`, MAP_TOP_INDEX / MAP_MID_INDEX).
    pub fn node_key(&self, addr: u64) -> (u64, u64) {
        let mask = |bits: u32| (1u64 << bits) - 1;
        let mid_shift = self.arena_bits + self.bot_bits;
        let top_shift = mid_shift + self.interior_bits;
        let top = (addr >> top_shift) & mask(self.interior_bits);
        let mid = (addr >> mid_shift) & mask(self.interior_bits);
        (top, mid)
    }
}

/// The free lists `sys._debugmallocstats()` reports (`_PyObject_DebugTypeStats`), and each item's size as that
/// version prints it. Counts come from the object layer; the list and the sizes are a profile fact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FreeListLine {
    pub name: &'static str,
    pub item_size: u64,
}

/// A CPython release on an arch: the unit every rule is switched on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Profile {
    pub version: Version,
    pub arch: Arch,
}

impl Profile {
    pub fn new(version: Version, arch: Arch) -> Profile {
        Profile { version, arch }
    }

    pub fn parse(version: &str, arch: &str) -> Result<Profile, ProfileError> {
        Ok(Profile::new(Version::parse(version)?, Arch::parse(arch)?))
    }

    pub fn ptr(&self) -> u64 {
        self.arch.pointer_size()
    }

    /// Whether PyObject_Malloc goes through pymalloc. Every x86_64 build the oracle has uses pymalloc;
    /// Pyodide builds never do (configure `--without-pymalloc`; `sys._debugmallocstats()` prints no arena
    /// lines and `sys.getallocatedblocks()` is 0 there).
    pub fn has_pymalloc(&self) -> bool {
        self.arch == Arch::X86_64
    }

    /// pymalloc's constants (alloc-gc.md §1.2), or None when pymalloc is compiled out.
    pub fn pymalloc(&self) -> Option<PymallocGeometry> {
        if !self.has_pymalloc() {
            return None;
        }
        let v = self.version;
        // bpo-27987: 16-byte ALIGNMENT on 64-bit from 3.8.0b1, backported to 3.7.4.
        let alignment_shift = if v.minor == 7 && v.patch < 4 { 3 } else { 4 };
        // bpo-37448 (3.10.0a7): radix tree, 1 MiB arenas (ARENA_BITS 20) and 16 KiB pools (POOL_BITS 14)
        // on 64-bit; before it, 256 KiB arenas and 4 KiB pools (SYSTEM_PAGE_SIZE).
        let large = v.minor >= 10;
        let (pool_size, arena_size) = if large {
            (16 << 10, 1 << 20)
        } else {
            (4 << 10, 256 << 10)
        };
        // struct pool_header: 4 pointer-sized words + 4 uint = 48 bytes on 64-bit; rounded up to ALIGNMENT.
        let header: u64 = 4 * 8 + 4 * 4;
        let align = 1u64 << alignment_shift;
        let pool_overhead = header.div_ceil(align) * align;
        let radix = if large {
            // ADDRESS_BITS 48 in 3.10 (IGNORE_BITS 16); all 64 bits from 3.11 (bpo-45526).
            let address_bits = if v.minor == 10 { 48 } else { 64 };
            Some(RadixGeometry::new(address_bits, 20, true))
        } else {
            None
        };
        Some(PymallocGeometry {
            alignment_shift,
            pool_size,
            arena_size,
            pool_overhead,
            radix,
        })
    }

    /// 3.9+ keeps one wholly-free arena instead of releasing it (bpo-37257, `ao->nextarena != NULL` test in
    /// `pymalloc_free`/`insert_to_freepool`); 3.7 and 3.8 release every arena as soon as it is wholly free.
    pub fn keeps_one_free_arena(&self) -> bool {
        self.version.minor >= 9
    }

    /// 3.8+ keeps `usable_arenas` sorted in O(1) with `nfp2lasta` (bpo-37029); 3.7 walks the list. Both give
    /// the same order; the simulator runs the version's own algorithm.
    pub fn uses_nfp2lasta(&self) -> bool {
        self.version.minor >= 8
    }

    /// The free-list lines of `_PyObject_DebugTypeStats`, in print order, with the item size each prints.
    /// Measured with `sys._debugmallocstats()` on every oracle interpreter (3.7.16 … 3.15.2 x86_64, Pyodide
    /// 3.10.2 … 3.15.0rc1); wasm32 3.7–3.9 sizes are derived from the 32-bit struct layouts.
    pub fn free_list_lines(&self) -> Vec<FreeListLine> {
        let m = self.version.minor;
        let p = self.ptr();
        let wasm = self.arch == Arch::Wasm32;
        // 3.15 prints the GC pre-header with the basic size of GC types (two pointers).
        let pre = if m >= 15 { 2 * p } else { 0 };
        let mut lines = Vec::new();
        let mut push =
            |name: &'static str, item_size: u64| lines.push(FreeListLine { name, item_size });
        if m <= 8 {
            // PyCFunctionObject: head + 4 pointers; 3.8 adds vectorcall.
            push(
                "PyCFunctionObject",
                2 * p + 4 * p + if m == 8 { p } else { 0 },
            );
        }
        // PyDictObject: head, ma_used, uint64 ma_version_tag, ma_keys, ma_values (48 on 64-bit, 32 on wasm32).
        push("PyDictObject", if wasm { 32 } else { 48 } + pre);
        if m >= 13 {
            push("PyDictKeysObject", if wasm { 20 } else { 32 });
        }
        push("PyFloatObject", 2 * p + 8);
        if m <= 10 {
            // PyFrameObject: 368 on 64-bit 3.7–3.9, 360 in 3.10; 312 on wasm32 (measured 3.10.2; derived before).
            push(
                "PyFrameObject",
                if wasm {
                    312
                } else if m == 10 {
                    360
                } else {
                    368
                },
            );
        }
        push("PyListObject", 2 * p + p + p + p + pre);
        if m <= 8 {
            // PyMethodObject: head + im_func, im_self, im_weakreflist; 3.8 adds vectorcall.
            push("PyMethodObject", 2 * p + 3 * p + if m == 8 { p } else { 0 });
        }
        lines
    }

    /// Tuple free-list sizes printed (`PyTuple_MAXSAVESIZE` - 1 lines: 1..19 through 3.10, 1..20 from 3.11),
    /// and the bytes of an n-tuple as printed: basic size (+ ob_hash from 3.14) + n pointers (+ pre-header 3.15).
    pub fn tuple_free_list_sizes(&self) -> (u32, u64, u64) {
        let m = self.version.minor;
        let p = self.ptr();
        let max = if m >= 11 { 20 } else { 19 };
        let hash = if m >= 14 { p } else { 0 };
        let pre = if m >= 15 { 2 * p } else { 0 };
        (max, 3 * p + hash + pre, p)
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CPython {} on {}", self.version, self.arch.name())
    }
}

/// Every series the simulator supports with the release `X.Y` resolves to, for pickers and error messages.
pub fn supported_series() -> Vec<(String, String)> {
    NEWEST_PATCH
        .iter()
        .map(|(m, p)| (format!("3.{m}"), format!("3.{m}.{p}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_series_and_exact_releases() {
        assert_eq!(Version::parse("3.12").unwrap(), Version::new(12, 12));
        assert_eq!(Version::parse("3.7.3").unwrap(), Version::new(7, 3));
        let rc = Version::parse("3.15.0rc1").unwrap();
        assert_eq!((rc.level, rc.serial), (Level::Candidate, 1));
        assert!(rc < Version::new(15, 0));
        assert_eq!(rc.to_string(), "3.15.0rc1");
        for bad in [
            "3.6",
            "3.16",
            "2.7",
            "3.12.99",
            "3",
            "3.x",
            "3.12.1rc1",
            "",
            "3.12.1.2",
        ] {
            let e = Version::parse(bad).unwrap_err();
            assert!(
                e.0.contains("3.7 to 3.15") || e.0.contains("newest"),
                "{bad}: {e}"
            );
        }
        assert!(Arch::parse("arm64").unwrap_err().0.contains("x86_64"));
    }

    #[test]
    fn geometry_per_version() {
        let g = |v: &str| Profile::parse(v, "x86_64").unwrap().pymalloc().unwrap();
        let a = g("3.7.3");
        assert_eq!(
            (a.alignment(), a.nb_classes(), a.pool_size, a.arena_size),
            (8, 64, 4096, 262144)
        );
        let b = g("3.7.4");
        assert_eq!(
            (b.alignment(), b.nb_classes(), b.pool_size, b.arena_size),
            (16, 32, 4096, 262144)
        );
        assert_eq!(g("3.9").pool_size, 4096);
        let c = g("3.10");
        assert_eq!(
            (c.pool_size, c.arena_size, c.pool_overhead),
            (16384, 1 << 20, 48)
        );
        assert!(Profile::parse("3.12", "wasm32")
            .unwrap()
            .pymalloc()
            .is_none());
    }

    #[test]
    fn radix_node_sizes_match_cpython() {
        // E: 3.10.13 prints root 8,192 / mid 8,192 / bot 2,048; 3.11+ 262,144 / 262,144 / 131,072.
        let r10 = g_radix("3.10");
        assert_eq!(
            (
                r10.root_bytes(8),
                r10.mid_node_bytes(8),
                r10.bot_node_bytes()
            ),
            (8192, 8192, 2048)
        );
        let r11 = g_radix("3.11");
        assert_eq!(
            (
                r11.root_bytes(8),
                r11.mid_node_bytes(8),
                r11.bot_node_bytes()
            ),
            (262144, 262144, 131072)
        );
    }

    fn g_radix(v: &str) -> RadixGeometry {
        Profile::parse(v, "x86_64")
            .unwrap()
            .pymalloc()
            .unwrap()
            .radix
            .unwrap()
    }
}
