//! hash: Python's `hash()` for the builtin types, as `Python/pyhash.c` and `Objects/longobject.c` compute it,
//! so that set iteration order (which follows hash values) is CPython's. Runs use `PYTHONHASHSEED=0`, which
//! zeroes the hash secret: str and bytes hash with SipHash keyed by 0 (SipHash-2-4 up to 3.10, SipHash-1-3
//! from 3.11, bpo-29410), over the string's canonical bytes (PEP 393 kind width, little-endian).

use crate::object::bigint::BigInt;

/// `_PyHASH_MODULUS`: 2**61 - 1 with 64-bit Py_hash_t, 2**31 - 1 with 32-bit.
pub fn modulus(ptr: u64) -> u64 {
    if ptr == 8 {
        (1 << 61) - 1
    } else {
        (1 << 31) - 1
    }
}

/// Truncates a hash to the arch's Py_hash_t and maps -1 to -2, as every tp_hash does.
fn finish(h: i64, ptr: u64) -> i64 {
    let h = if ptr == 4 { h as i32 as i64 } else { h };
    if h == -1 {
        -2
    } else {
        h
    }
}

/// `long_hash`: the value modulo the Mersenne prime, with the sign kept.
pub fn hash_int(v: &BigInt, ptr: u64) -> i64 {
    let m = modulus(ptr);
    let r = (v.abs() % BigInt::from(m)).to_u64().unwrap_or(0) as i64;
    finish(if v.is_negative() { -r } else { r }, ptr)
}

pub fn hash_small_int(v: i64, ptr: u64) -> i64 {
    let r = (v.unsigned_abs() % modulus(ptr)) as i64;
    finish(if v < 0 { -r } else { r }, ptr)
}

/// `_Py_HashDouble`: integral values hash as ints; others by the modular reduction of their binary expansion.
pub fn hash_float(x: f64, ptr: u64) -> i64 {
    if x.is_nan() {
        return 0; // 3.7–3.9: 0; 3.10+: the object's identity. Callers pass identity hashing for NaN from 3.10.
    }
    if x.is_infinite() {
        return if x > 0.0 { 314159 } else { -314159 };
    }
    let bits = if ptr == 8 { 61 } else { 31 };
    let m = modulus(ptr);
    let (mut mant, mut e) = frexp(x.abs());
    let mut h: u64 = 0;
    let sign = if x < 0.0 { -1 } else { 1 };
    while mant != 0.0 {
        h = ((h << 28) & m) | h >> (bits - 28);
        mant *= 268435456.0;
        e -= 28;
        let y = mant as u64;
        mant -= y as f64;
        h += y;
        if h >= m {
            h -= m;
        }
    }
    let e = if e >= 0 {
        e % bits
    } else {
        bits - 1 - ((-1 - e) % bits)
    };
    h = ((h << e) & m) | h >> (bits - e);
    finish(h as i64 * sign, ptr)
}

fn frexp(x: f64) -> (f64, i32) {
    if x == 0.0 {
        return (0.0, 0);
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        let (m, e) = frexp(x * 2f64.powi(64));
        return (m, e - 64);
    }
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, exp - 1022)
}

/// SipHash with key (0, 0) and `c` compression rounds (2 or 1), 4 finalisation rounds for -2-4, 3 for -1-3.
fn siphash(data: &[u8], c_rounds: usize, d_rounds: usize) -> u64 {
    let (k0, k1) = (0u64, 0u64);
    let mut v0 = k0 ^ 0x736f6d6570736575;
    let mut v1 = k1 ^ 0x646f72616e646f6d;
    let mut v2 = k0 ^ 0x6c7967656e657261;
    let mut v3 = k1 ^ 0x7465646279746573;
    macro_rules! round {
        () => {
            v0 = v0.wrapping_add(v1);
            v1 = v1.rotate_left(13);
            v1 ^= v0;
            v0 = v0.rotate_left(32);
            v2 = v2.wrapping_add(v3);
            v3 = v3.rotate_left(16);
            v3 ^= v2;
            v0 = v0.wrapping_add(v3);
            v3 = v3.rotate_left(21);
            v3 ^= v0;
            v2 = v2.wrapping_add(v1);
            v1 = v1.rotate_left(17);
            v1 ^= v2;
            v2 = v2.rotate_left(32);
        };
    }
    let chunks = data.chunks_exact(8);
    let tail = chunks.remainder();
    for ch in chunks {
        let m = u64::from_le_bytes(ch.try_into().expect("8 bytes"));
        v3 ^= m;
        for _ in 0..c_rounds {
            round!();
        }
        v0 ^= m;
    }
    let mut last = (data.len() as u64) << 56;
    for (i, b) in tail.iter().enumerate() {
        last |= (*b as u64) << (8 * i);
    }
    v3 ^= last;
    for _ in 0..c_rounds {
        round!();
    }
    v0 ^= last;
    v2 ^= 0xff;
    for _ in 0..d_rounds {
        round!();
    }
    v0 ^ v1 ^ v2 ^ v3
}

/// `fnv` in `Python/pyhash.c`, the algorithm Pyodide's wasm32 builds use (`sys.hash_info.algorithm` is
/// 'fnv' there: SipHash needs unaligned 64-bit reads), with the zero prefix and suffix of PYTHONHASHSEED=0.
fn fnv32(data: &[u8]) -> i64 {
    const MULT: u32 = 1000003;
    let mut x: u32 = (data[0] as u32) << 7;
    let blocks = (data.len() - 1) / 4;
    let mut p = 0;
    for _ in 0..blocks {
        let v = u32::from_le_bytes(data[p..p + 4].try_into().expect("4 bytes"));
        x = MULT.wrapping_mul(x) ^ v;
        p += 4;
    }
    for &b in &data[p..] {
        x = MULT.wrapping_mul(x) ^ b as u32;
    }
    x ^= data.len() as u32;
    if x == u32::MAX {
        x = u32::MAX - 1;
    }
    x as i32 as i64
}

/// `_Py_HashBytes` with a zero secret: 0 for empty input, else SipHash of the bytes (FNV on wasm32).
pub fn hash_bytes(data: &[u8], minor: u8, ptr: u64) -> i64 {
    if data.is_empty() {
        return 0;
    }
    if ptr == 4 {
        return fnv32(data);
    }
    let h = if minor >= 11 {
        siphash(data, 1, 3)
    } else {
        siphash(data, 2, 4)
    };
    finish(h as i64, ptr)
}

/// A str hashes the bytes of its PEP 393 representation (1, 2 or 4 bytes per code point).
pub fn hash_str(s: &str, minor: u8, ptr: u64) -> i64 {
    if s.is_ascii() {
        return hash_bytes(s.as_bytes(), minor, ptr);
    }
    let max = s.chars().map(|c| c as u32).max().unwrap_or(0);
    let bytes: Vec<u8> = if max < 256 {
        s.chars().map(|c| c as u32 as u8).collect()
    } else if max < 65536 {
        s.chars()
            .flat_map(|c| (c as u32 as u16).to_le_bytes())
            .collect()
    } else {
        s.chars().flat_map(|c| (c as u32).to_le_bytes()).collect()
    };
    hash_bytes(&bytes, minor, ptr)
}

/// `tuplehash`: xxHash-based from 3.8 (bpo-34751); the older multiplicative scheme for 3.7.
pub fn hash_tuple(items: &[i64], minor: u8, ptr: u64) -> i64 {
    if minor >= 8 {
        let (p1, p2, p5, rot): (u64, u64, u64, u32) = if ptr == 8 {
            (
                11400714785074694791,
                14029467366897019727,
                2870177450012600261,
                31,
            )
        } else {
            (2654435761, 2246822519, 374761393, 13)
        };
        let mut acc = p5;
        for &h in items {
            if ptr == 8 {
                acc = acc.wrapping_add((h as u64).wrapping_mul(p2));
                acc = acc.rotate_left(rot);
                acc = acc.wrapping_mul(p1);
            } else {
                let a = (acc as u32).wrapping_add((h as u32).wrapping_mul(p2 as u32));
                acc = (a.rotate_left(rot).wrapping_mul(p1 as u32)) as u64;
            }
        }
        let acc = if ptr == 8 {
            acc.wrapping_add(items.len() as u64 ^ (p5 ^ 3527539))
        } else {
            (acc as u32).wrapping_add(items.len() as u32 ^ (p5 as u32 ^ 3527539)) as u64
        };
        if acc == u64::MAX || (ptr == 4 && acc as u32 == u32::MAX) {
            return 1546275796;
        }
        finish(acc as i64, ptr)
    } else {
        let mut x: i64 = 0x345678;
        let mut mult: i64 = 1000003;
        let mut len = items.len() as i64;
        for &y in items {
            len -= 1;
            x = (x ^ y).wrapping_mul(mult);
            mult = mult.wrapping_add(82520 + len + len);
        }
        x = x.wrapping_add(97531);
        finish(x, ptr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_cpython_with_hashseed_0() {
        // Values printed by CPython with PYTHONHASHSEED=0 (x86_64).
        assert_eq!(hash_small_int(-1, 8), -2);
        assert_eq!(hash_small_int(1 << 61, 8), 1);
        assert_eq!(hash_float(1.5, 8), 1152921504606846977);
        assert_eq!(hash_float(2.0, 8), 2);
        assert_eq!(hash_str("", 12, 8), 0);
        assert_eq!(hash_str("a", 10, 8), -7583489610679606711);
        assert_eq!(hash_str("hello world", 7, 8), 6266945022561323786);
        assert_eq!(hash_str("\u{20ac}", 10, 8), -7838577127164893040);
        assert_eq!(hash_str("a", 12, 8), 4644417185603328019);
        assert_eq!(hash_str("abc", 12, 8), -4594863902769663758);
        assert_eq!(hash_str("\u{20ac}", 12, 8), -5529981157763016009);
        assert_eq!(hash_bytes(b"ab", 12, 8), 6148830537548944441);
        // Pyodide (wasm32, FNV): hash('a'), hash('abc'), hash('hello world'), hash(b'ab'), hash('\u20ac').
        assert_eq!(hash_str("a", 12, 4), -468864544);
        assert_eq!(hash_str("abc", 12, 4), -1600925533);
        assert_eq!(hash_str("hello world", 10, 4), -974216524);
        assert_eq!(hash_bytes(b"ab", 12, 4), -1549758589);
        assert_eq!(hash_str("\u{20ac}", 12, 4), 1059883814);
        assert_eq!(hash_tuple(&[1, 2], 8, 8), -3550055125485641917);
        assert_eq!(hash_tuple(&[1, 2], 7, 8), 3713081631934410656);
        assert_eq!(hash_tuple(&[], 12, 8), 5740354900026072187);
        assert_eq!(hash_tuple(&[], 7, 8), 3527539);
        assert_eq!(
            hash_tuple(&[1, hash_str("a", 12, 8)], 12, 8),
            3906047847676358913
        );
    }
}
