//! Arbitrary-precision signed integers: the simulator's model of Python `int` values that do not
//! fit in an `i64`.
//!
//! This replaces the `num-bigint`, `num-traits` and `num-integer` crates, which together cost too
//! much in the wasm download for the little the simulator needs. The names and semantics follow
//! num-bigint so that call sites read the same: `/` and `%` truncate like Rust's, `div_mod_floor`
//! floors like Python's `//` and `%`, `>>` rounds toward negative infinity and the bitwise
//! operators act on the infinite two's complement form, both like Python.
//!
//! The magnitude is little-endian base 2^32 and always normalised (no high zero limbs, zero is
//! never negative), so the derived `PartialEq`/`Hash` agree with numeric equality. Algorithms are
//! the simple quadratic ones (Knuth long division, radix conversion by chunks) since values are
//! usually a few thousand bits; only long products use Karatsuba, because callers allow products
//! of millions of bits.

use std::cmp::Ordering;
use std::fmt;
use std::ops::{
    Add, AddAssign, BitAnd, BitOr, BitXor, Div, Mul, MulAssign, Neg, Rem, Shl, Shr, Sub, SubAssign,
};

/// A Python `int` of any size; `Default` is zero.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct BigInt {
    neg: bool,
    mag: Vec<u32>,
}

/// The error of a conversion to a primitive integer that cannot hold the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TryFromBigIntError;

impl fmt::Display for TryFromBigIntError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("out of range integral type conversion attempted")
    }
}

impl std::error::Error for TryFromBigIntError {}

/// Below this many limbs in the shorter factor, schoolbook multiplication beats Karatsuba.
const KARATSUBA: usize = 40;

fn trim(v: &mut Vec<u32>) {
    while v.last() == Some(&0) {
        v.pop();
    }
}

/// The slice without its high zero limbs, so Karatsuba halves compare and recurse correctly.
fn norm(a: &[u32]) -> &[u32] {
    let n = a.iter().rposition(|&x| x != 0).map_or(0, |i| i + 1);
    &a[..n]
}

fn cmp_mag(a: &[u32], b: &[u32]) -> Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.iter().rev().cmp(b.iter().rev()))
}

fn add_mag(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (a, b) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    let mut r = Vec::with_capacity(a.len() + 1);
    let mut carry = 0u64;
    for (i, &x) in a.iter().enumerate() {
        let t = x as u64 + *b.get(i).unwrap_or(&0) as u64 + carry;
        r.push(t as u32);
        carry = t >> 32;
    }
    r.push(carry as u32);
    trim(&mut r);
    r
}

/// `a - b`; the caller guarantees `a >= b`.
fn sub_mag(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut r = Vec::with_capacity(a.len());
    let mut borrow = 0i64;
    for (i, &x) in a.iter().enumerate() {
        let t = x as i64 - *b.get(i).unwrap_or(&0) as i64 + borrow;
        r.push(t as u32);
        borrow = t >> 32;
    }
    debug_assert!(borrow == 0 && norm(b).len() <= a.len());
    trim(&mut r);
    r
}

/// Adds `src` into `dst` at limb offset `at`; the caller guarantees the sum fits in `dst`.
fn add_into(dst: &mut [u32], src: &[u32], at: usize) {
    let mut carry = 0u64;
    for (i, d) in dst[at..].iter_mut().enumerate() {
        if i >= src.len() && carry == 0 {
            break;
        }
        let t = *d as u64 + *src.get(i).unwrap_or(&0) as u64 + carry;
        *d = t as u32;
        carry = t >> 32;
    }
}

fn mul_mag(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (a, b) = (norm(a), norm(b));
    if a.is_empty() || b.is_empty() {
        return Vec::new();
    }
    let mut r = vec![0u32; a.len() + b.len()];
    if a.len().min(b.len()) < KARATSUBA {
        for (i, &x) in a.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &y) in b.iter().enumerate() {
                let t = x as u64 * y as u64 + r[i + j] as u64 + carry;
                r[i + j] = t as u32;
                carry = t >> 32;
            }
            r[i + b.len()] = carry as u32;
        }
    } else {
        // a*b = z2*B^2h + z1*B^h + z0 with z1 = (a0+a1)(b0+b1) - z0 - z2: three half-size products.
        let h = a.len().max(b.len()) / 2;
        let ((a0, a1), (b0, b1)) = (a.split_at(h.min(a.len())), b.split_at(h.min(b.len())));
        let z0 = mul_mag(a0, b0);
        let z2 = mul_mag(a1, b1);
        let z1 = mul_mag(&add_mag(norm(a0), a1), &add_mag(norm(b0), b1));
        let z1 = sub_mag(&sub_mag(&z1, &z0), &z2);
        add_into(&mut r, &z0, 0);
        add_into(&mut r, &z1, h);
        add_into(&mut r, &z2, 2 * h);
    }
    trim(&mut r);
    r
}

/// `m = m * mul + add` in place, for parsing.
fn mul_add_small(m: &mut Vec<u32>, mul: u32, add: u32) {
    let mut carry = add as u64;
    for x in m.iter_mut() {
        let t = *x as u64 * mul as u64 + carry;
        *x = t as u32;
        carry = t >> 32;
    }
    if carry != 0 {
        m.push(carry as u32);
    }
}

fn divrem_small(a: &[u32], d: u32) -> (Vec<u32>, u32) {
    let mut q = vec![0u32; a.len()];
    let mut r = 0u64;
    for i in (0..a.len()).rev() {
        let t = r << 32 | a[i] as u64;
        q[i] = (t / d as u64) as u32;
        r = t % d as u64;
    }
    trim(&mut q);
    (q, r as u32)
}

/// Truncating division of magnitudes (Knuth's algorithm D); `b` must be non-zero.
fn divrem_mag(a: &[u32], b: &[u32]) -> (Vec<u32>, Vec<u32>) {
    assert!(!b.is_empty(), "attempt to divide by zero");
    if cmp_mag(a, b) == Ordering::Less {
        return (Vec::new(), a.to_vec());
    }
    if b.len() == 1 {
        let (q, r) = divrem_small(a, b[0]);
        return (q, if r == 0 { Vec::new() } else { vec![r] });
    }
    // Shifting so the divisor's top bit is set keeps each estimated quotient digit within 2 of the truth.
    let s = b[b.len() - 1].leading_zeros() as u64;
    let v = shl_mag(b, s);
    let mut u = shl_mag(a, s);
    u.resize(a.len() + 1, 0);
    let n = v.len();
    let (v1, v2) = (v[n - 1] as u64, v[n - 2] as u64);
    let mut q = vec![0u32; a.len() - n + 1];
    for j in (0..q.len()).rev() {
        let top = (u[j + n] as u64) << 32 | u[j + n - 1] as u64;
        let (mut qhat, mut rhat) = (top / v1, top % v1);
        while qhat >> 32 != 0 || qhat * v2 > (rhat << 32 | u[j + n - 2] as u64) {
            qhat -= 1;
            rhat += v1;
            if rhat >> 32 != 0 {
                break;
            }
        }
        let (mut borrow, mut carry) = (0i64, 0u64);
        for i in 0..n {
            let p = qhat * v[i] as u64 + carry;
            carry = p >> 32;
            let t = u[i + j] as i64 - (p as u32) as i64 + borrow;
            u[i + j] = t as u32;
            borrow = t >> 32;
        }
        let t = u[j + n] as i64 - carry as i64 + borrow;
        u[j + n] = t as u32;
        if t < 0 {
            // The estimate was one too big (rare): add the divisor back.
            qhat -= 1;
            let mut c = 0u64;
            for i in 0..n {
                let t = u[i + j] as u64 + v[i] as u64 + c;
                u[i + j] = t as u32;
                c = t >> 32;
            }
            u[j + n] = u[j + n].wrapping_add(c as u32);
        }
        q[j] = qhat as u32;
    }
    trim(&mut q);
    u.truncate(n);
    (q, shr_mag(&u, s))
}

fn shl_mag(a: &[u32], s: u64) -> Vec<u32> {
    if a.is_empty() {
        return Vec::new();
    }
    let limbs = usize::try_from(s / 32).expect("shift amount too large");
    let b = (s % 32) as u32;
    let mut r = vec![0u32; limbs];
    r.reserve(a.len() + 1);
    if b == 0 {
        r.extend_from_slice(a);
    } else {
        let mut carry = 0;
        for &x in a {
            r.push(x << b | carry);
            carry = x >> (32 - b);
        }
        r.push(carry);
    }
    trim(&mut r);
    r
}

fn shr_mag(a: &[u32], s: u64) -> Vec<u32> {
    if s / 32 >= a.len() as u64 {
        return Vec::new();
    }
    let src = &a[(s / 32) as usize..];
    let b = (s % 32) as u32;
    let mut r: Vec<u32> = if b == 0 {
        src.to_vec()
    } else {
        (0..src.len())
            .map(|i| src[i] >> b | src.get(i + 1).map_or(0, |&h| h << (32 - b)))
            .collect()
    };
    trim(&mut r);
    r
}

/// Two's complement negation of a fixed-width limb vector.
fn negate_twos(v: &mut [u32]) {
    let mut carry = true;
    for x in v {
        let (y, c) = (!*x).overflowing_add(carry as u32);
        *x = y;
        carry = c;
    }
}

/// `|x| = m · 2^e` exactly, for a finite `x`: IEEE 754's significand with its hidden bit (none for
/// subnormals) and the unbiased exponent of its last bit.
pub fn f64_parts(x: f64) -> (u64, i64) {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1 << 52) - 1);
    if biased == 0 {
        (frac, -1074)
    } else {
        (frac | 1 << 52, biased - 1075)
    }
}

impl BigInt {
    fn new(neg: bool, mut mag: Vec<u32>) -> BigInt {
        trim(&mut mag);
        BigInt {
            neg: neg && !mag.is_empty(),
            mag,
        }
    }

    fn from_u128(neg: bool, mut u: u128) -> BigInt {
        let mut mag = Vec::new();
        while u != 0 {
            mag.push(u as u32);
            u >>= 32;
        }
        BigInt::new(neg, mag)
    }

    /// The exact value of an integral, finite f64 (0 for NaN or infinities, which callers reject first).
    pub fn from_f64_integral(x: f64) -> BigInt {
        if !x.is_finite() || x == 0.0 {
            return BigInt::default();
        }
        let (mant, shift) = f64_parts(x);
        let m = BigInt::from(mant);
        let v = if shift >= 0 {
            m << shift as u64
        } else {
            m >> (-shift) as u64
        };
        if x < 0.0 {
            -v
        } else {
            v
        }
    }

    pub fn zero() -> BigInt {
        BigInt::default()
    }

    pub fn is_zero(&self) -> bool {
        self.mag.is_empty()
    }

    pub fn is_odd(&self) -> bool {
        self.mag.first().is_some_and(|d| d & 1 == 1)
    }

    pub fn is_negative(&self) -> bool {
        self.neg
    }

    pub fn is_positive(&self) -> bool {
        !self.neg && !self.mag.is_empty()
    }

    pub fn abs(&self) -> BigInt {
        BigInt {
            neg: false,
            mag: self.mag.clone(),
        }
    }

    /// Bit length of the magnitude; 0 for zero.
    pub fn bits(&self) -> u64 {
        match self.mag.last() {
            None => 0,
            Some(&top) => (self.mag.len() as u64 - 1) * 32 + (32 - top.leading_zeros() as u64),
        }
    }

    fn mag_u128(&self) -> Option<u128> {
        if self.mag.len() > 4 {
            return None;
        }
        Some(
            self.mag
                .iter()
                .rev()
                .fold(0u128, |acc, &x| acc << 32 | x as u128),
        )
    }

    pub fn to_i128(&self) -> Option<i128> {
        let m = self.mag_u128()?;
        if self.neg {
            // -2^127 is the one value whose magnitude does not fit in i128.
            (m <= 1 << 127).then(|| (m as i128).wrapping_neg())
        } else {
            i128::try_from(m).ok()
        }
    }

    fn to_u128(&self) -> Option<u128> {
        if self.neg {
            None
        } else {
            self.mag_u128()
        }
    }

    pub fn to_i64(&self) -> Option<i64> {
        self.to_i128().and_then(|v| i64::try_from(v).ok())
    }

    pub fn to_u64(&self) -> Option<u64> {
        self.to_u128().and_then(|v| u64::try_from(v).ok())
    }

    pub fn to_usize(&self) -> Option<usize> {
        self.to_u128().and_then(|v| usize::try_from(v).ok())
    }

    pub fn to_u32(&self) -> Option<u32> {
        self.to_u128().and_then(|v| u32::try_from(v).ok())
    }

    /// The nearest `f64` (ties to even), or an infinity when out of range; never `None`, but
    /// `Option` keeps num-bigint's `ToPrimitive` signature.
    pub fn to_f64(&self) -> Option<f64> {
        let bits = self.bits();
        let m = if bits <= 64 {
            self.mag_u128()? as f64
        } else {
            // The top 64 bits plus a sticky bit for anything below: one rounding, in the u64 -> f64 cast.
            let shift = bits - 64;
            let top = shr_mag(&self.mag, shift);
            let top = (top[0] as u64) | (top[1] as u64) << 32;
            let low = (shift / 32) as usize;
            let sticky = self.mag[..low].iter().any(|&x| x != 0)
                || self.mag[low] & ((1u32 << (shift % 32)) - 1) != 0;
            let m = (top | sticky as u64) as f64;
            if shift > 1023 {
                f64::INFINITY
            } else {
                m * f64::from_bits((1023 + shift) << 52)
            }
        };
        Some(if self.neg { -m } else { m })
    }

    /// Parses digits of `radix` (2..=36) with an optional sign, accepting exactly what
    /// num-bigint's `parse_bytes` accepts: `_` separators after the first digit, no whitespace.
    pub fn parse_bytes(buf: &[u8], radix: u32) -> Option<BigInt> {
        assert!((2..=36).contains(&radix), "The radix must be within 2...36");
        let (neg, s) = match buf {
            [c @ (b'-' | b'+'), rest @ ..] if rest.first() != Some(&b'+') => (*c == b'-', rest),
            _ => (false, buf),
        };
        if matches!(s.first(), None | Some(b'_')) {
            return None;
        }
        let (big, per) = radix_chunk(radix);
        let (mut mag, mut acc, mut n) = (Vec::new(), 0u32, 0);
        for &c in s {
            if c == b'_' {
                continue;
            }
            acc = acc * radix + (c as char).to_digit(radix)?;
            n += 1;
            if n == per {
                mul_add_small(&mut mag, big, acc);
                (acc, n) = (0, 0);
            }
        }
        if n > 0 {
            mul_add_small(&mut mag, radix.pow(n), acc);
        }
        Some(BigInt::new(neg, mag))
    }

    /// The magnitude's digits in `radix`, most significant first, without sign or prefix.
    fn mag_str(&self, radix: u32) -> String {
        // Peeling the number by one u32 chunk at a time would cost n² hardware divisions; first
        // splitting it by a ~√n-limb power of the chunk turns most of that work into the long
        // division's multiply-adds, many times faster for long numbers.
        let (big, _) = radix_chunk(radix);
        let (mut d, mut k) = (vec![big], 1);
        while d.len() * d.len() < self.mag.len() {
            d = mul_mag(&d, &d);
            k *= 2;
        }
        let mut m = self.mag.clone();
        let mut digits = Vec::new();
        while cmp_mag(&m, &d) != Ordering::Less {
            let (q, r) = divrem_mag(&m, &d);
            push_digits(&mut digits, r, radix, Some(k));
            m = q;
        }
        push_digits(&mut digits, m, radix, None);
        if digits.is_empty() {
            digits.push('0');
        }
        digits.iter().rev().collect()
    }

    /// Quotient rounded toward negative infinity and remainder with the divisor's sign, like
    /// Python's `//` and `%`. Panics if `other` is zero.
    pub fn div_mod_floor(&self, other: &BigInt) -> (BigInt, BigInt) {
        let (q, r) = self.div_rem(other);
        if !r.is_zero() && r.neg != other.neg {
            (q - 1, r + other)
        } else {
            (q, r)
        }
    }

    fn div_rem(&self, other: &BigInt) -> (BigInt, BigInt) {
        let (q, r) = divrem_mag(&self.mag, &other.mag);
        (
            BigInt::new(self.neg != other.neg, q),
            BigInt::new(self.neg, r),
        )
    }

    /// `self` to the power `e`; `0.pow(0)` is 1.
    pub fn pow(&self, mut e: u64) -> BigInt {
        let mut base = self.clone();
        let mut acc = BigInt::from(1u32);
        while e > 0 {
            if e & 1 == 1 {
                acc = &acc * &base;
            }
            e >>= 1;
            if e > 0 {
                base = &base * &base;
            }
        }
        acc
    }

    fn add_signed(&self, neg: bool, mag: &[u32]) -> BigInt {
        if self.neg == neg {
            BigInt::new(neg, add_mag(&self.mag, mag))
        } else if cmp_mag(&self.mag, mag) == Ordering::Less {
            BigInt::new(neg, sub_mag(mag, &self.mag))
        } else {
            BigInt::new(self.neg, sub_mag(&self.mag, mag))
        }
    }

    /// `n` limbs of the two's complement form; `n` must leave room for the sign bit.
    fn twos(&self, n: usize) -> Vec<u32> {
        let mut v = self.mag.clone();
        v.resize(n, 0);
        if self.neg {
            negate_twos(&mut v);
        }
        v
    }

    fn bitop(&self, other: &BigInt, f: impl Fn(u32, u32) -> u32) -> BigInt {
        let n = self.mag.len().max(other.mag.len()) + 1;
        let mut r: Vec<u32> = self
            .twos(n)
            .iter()
            .zip(other.twos(n))
            .map(|(&a, b)| f(a, b))
            .collect();
        let neg = r[n - 1] >> 31 == 1;
        if neg {
            negate_twos(&mut r);
        }
        BigInt::new(neg, r)
    }
}

/// Appends the digits of `m`, least significant first: exactly `chunks` chunks' worth when the
/// part is followed by more significant ones (so its leading zeros count), else no leading zeros.
fn push_digits(out: &mut Vec<char>, mut m: Vec<u32>, radix: u32, chunks: Option<usize>) {
    let (big, per) = radix_chunk(radix);
    let mut i = 0;
    while chunks.map_or(!m.is_empty(), |c| i < c) {
        let (q, mut r) = divrem_small(&m, big);
        m = q;
        i += 1;
        for _ in 0..per {
            if chunks.is_none() && m.is_empty() && r == 0 {
                break;
            }
            out.push(char::from_digit(r % radix, radix).unwrap_or('?'));
            r /= radix;
        }
    }
}

/// The largest power of `radix` that fits in a u32, and its exponent: the chunk for conversions.
fn radix_chunk(radix: u32) -> (u32, u32) {
    let (mut big, mut n) = (radix, 1);
    while let Some(b) = big.checked_mul(radix) {
        big = b;
        n += 1;
    }
    (big, n)
}

impl Ord for BigInt {
    fn cmp(&self, other: &BigInt) -> Ordering {
        match (self.neg, other.neg) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => cmp_mag(&self.mag, &other.mag),
            (true, true) => cmp_mag(&other.mag, &self.mag),
        }
    }
}

impl PartialOrd for BigInt {
    fn partial_cmp(&self, other: &BigInt) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

macro_rules! from_signed {
    ($($t:ty),*) => {$(
        impl From<$t> for BigInt {
            fn from(v: $t) -> BigInt {
                BigInt::from_u128(v < 0, v.unsigned_abs() as u128)
            }
        }
    )*};
}
from_signed!(i8, i16, i32, i64, i128, isize);

macro_rules! from_unsigned {
    ($($t:ty),*) => {$(
        impl From<$t> for BigInt {
            fn from(v: $t) -> BigInt {
                BigInt::from_u128(false, v as u128)
            }
        }
    )*};
}
from_unsigned!(u8, u16, u32, u64, u128, usize);

impl TryFrom<&BigInt> for i64 {
    type Error = TryFromBigIntError;
    fn try_from(b: &BigInt) -> Result<i64, TryFromBigIntError> {
        b.to_i64().ok_or(TryFromBigIntError)
    }
}

// Formatting goes through `pad_integral` so width, fill, `+` and `#` behave as for primitives.
macro_rules! radix_fmt {
    ($($tr:ident, $radix:expr, $prefix:expr, $upper:expr;)*) => {$(
        impl fmt::$tr for BigInt {
            fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
                let mut s = self.mag_str($radix);
                if $upper {
                    s.make_ascii_uppercase();
                }
                f.pad_integral(!self.neg, $prefix, &s)
            }
        }
    )*};
}
radix_fmt! {
    Display, 10, "", false;
    LowerHex, 16, "0x", false;
    UpperHex, 16, "0x", true;
    Octal, 8, "0o", false;
    Binary, 2, "0b", false;
}

/// Prints the decimal value, as num-bigint does, so diagnostics stay readable.
impl fmt::Debug for BigInt {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

// Every operator takes any owned/borrowed mix of operands and forwards to one by-reference body.
macro_rules! binop {
    ($($tr:ident, $m:ident, |$a:ident, $b:ident| $body:expr;)*) => {$(
        impl $tr<&BigInt> for &BigInt {
            type Output = BigInt;
            fn $m(self, other: &BigInt) -> BigInt {
                let ($a, $b) = (self, other);
                $body
            }
        }
        impl $tr<BigInt> for BigInt {
            type Output = BigInt;
            fn $m(self, other: BigInt) -> BigInt {
                (&self).$m(&other)
            }
        }
        impl $tr<&BigInt> for BigInt {
            type Output = BigInt;
            fn $m(self, other: &BigInt) -> BigInt {
                (&self).$m(other)
            }
        }
        impl $tr<BigInt> for &BigInt {
            type Output = BigInt;
            fn $m(self, other: BigInt) -> BigInt {
                self.$m(&other)
            }
        }
    )*};
}
binop! {
    Add, add, |a, b| a.add_signed(b.neg, &b.mag);
    Sub, sub, |a, b| a.add_signed(!b.neg, &b.mag);
    Mul, mul, |a, b| BigInt::new(a.neg != b.neg, mul_mag(&a.mag, &b.mag));
    Div, div, |a, b| a.div_rem(b).0;
    Rem, rem, |a, b| a.div_rem(b).1;
    BitAnd, bitand, |a, b| a.bitop(b, |x, y| x & y);
    BitOr, bitor, |a, b| a.bitop(b, |x, y| x | y);
    BitXor, bitxor, |a, b| a.bitop(b, |x, y| x ^ y);
}

// Only i64 on the right, so a bare literal (`count + 1`) infers to it.
macro_rules! small_op {
    ($($tr:ident, $m:ident;)*) => {$(
        impl $tr<i64> for BigInt {
            type Output = BigInt;
            fn $m(self, other: i64) -> BigInt {
                (&self).$m(&BigInt::from(other))
            }
        }
        impl $tr<i64> for &BigInt {
            type Output = BigInt;
            fn $m(self, other: i64) -> BigInt {
                self.$m(&BigInt::from(other))
            }
        }
    )*};
}
small_op! {
    Add, add;
    Sub, sub;
    Mul, mul;
}

macro_rules! assign_op {
    ($($tr:ident, $m:ident, $op:ident;)*) => {$(
        impl $tr<&BigInt> for BigInt {
            fn $m(&mut self, other: &BigInt) {
                *self = (&*self).$op(other);
            }
        }
        impl $tr<BigInt> for BigInt {
            fn $m(&mut self, other: BigInt) {
                *self = (&*self).$op(&other);
            }
        }
    )*};
}
assign_op! {
    AddAssign, add_assign, add;
    SubAssign, sub_assign, sub;
    MulAssign, mul_assign, mul;
}

impl Neg for BigInt {
    type Output = BigInt;
    fn neg(self) -> BigInt {
        BigInt::new(!self.neg, self.mag)
    }
}

impl Neg for &BigInt {
    type Output = BigInt;
    fn neg(self) -> BigInt {
        BigInt::new(!self.neg, self.mag.clone())
    }
}

impl Shl<u64> for &BigInt {
    type Output = BigInt;
    fn shl(self, s: u64) -> BigInt {
        BigInt::new(self.neg, shl_mag(&self.mag, s))
    }
}

impl Shr<u64> for &BigInt {
    type Output = BigInt;
    fn shr(self, s: u64) -> BigInt {
        if self.neg {
            // floor(-m / 2^s) = -(((m - 1) >> s) + 1)
            let m = shr_mag(&sub_mag(&self.mag, &[1]), s);
            BigInt::new(true, add_mag(&m, &[1]))
        } else {
            BigInt::new(false, shr_mag(&self.mag, s))
        }
    }
}

impl Shl<u64> for BigInt {
    type Output = BigInt;
    fn shl(self, s: u64) -> BigInt {
        &self << s
    }
}

impl Shr<u64> for BigInt {
    type Output = BigInt;
    fn shr(self, s: u64) -> BigInt {
        &self >> s
    }
}

#[cfg(test)]
mod tests {
    use super::BigInt;

    fn big(s: &str) -> BigInt {
        BigInt::parse_bytes(s.as_bytes(), 10).unwrap()
    }

    #[test]
    fn arithmetic_and_display() {
        let a = big("123456789012345678901234567890");
        let b = big("-987654321098765432109876543210");
        assert_eq!((&a + &b).to_string(), "-864197532086419753208641975320");
        assert_eq!((&a - &b).to_string(), "1111111110111111111011111111100");
        assert_eq!(
            (&a * &b).to_string(),
            "-121932631137021795226185032733622923332237463801111263526900"
        );
        assert_eq!(
            BigInt::from(2).pow(100).to_string(),
            "1267650600228229401496703205376"
        );
        assert_eq!(BigInt::from(0).pow(0), BigInt::from(1));
        assert_eq!(BigInt::zero().to_string(), "0");
        assert_eq!(BigInt::from(i64::MIN).to_string(), "-9223372036854775808");
        assert_eq!(
            format!("{:>6}|{:+}", BigInt::from(42), BigInt::from(7)),
            "    42|+7"
        );
        assert_eq!(BigInt::from(5) + 1, BigInt::from(6));
    }

    #[test]
    fn division_semantics() {
        let cases = [
            (7, 2, 3, 1, 3, 1),
            (-7, 2, -3, -1, -4, 1),
            (7, -2, -3, 1, -4, -1),
            (-7, -2, 3, -1, 3, -1),
        ];
        for (a, b, tq, tr, fq, fr) in cases {
            let (a, b) = (BigInt::from(a), BigInt::from(b));
            assert_eq!(&a / &b, BigInt::from(tq));
            assert_eq!(&a % &b, BigInt::from(tr));
            assert_eq!(a.div_mod_floor(&b), (BigInt::from(fq), BigInt::from(fr)));
        }
        let n = big("340282366920938463463374607431768211457"); // 2^128 + 1
        let d = big("18446744073709551617"); // 2^64 + 1
        assert_eq!(&n / &d, big("18446744073709551615"));
        assert_eq!(&n % &d, BigInt::from(2));
        // Needs the rare add-back step of the long division.
        let n = BigInt::parse_bytes(b"8000000000000000000000000000000000000003", 16).unwrap();
        let d = BigInt::parse_bytes(b"200000000000000000000001", 16).unwrap();
        assert_eq!(&n / &d, big("73786976294838206463"));
        assert_eq!(&n % &d, big("9903520240496065904354787332"));
    }

    #[test]
    fn shifts_and_bits() {
        assert_eq!(BigInt::from(-5) >> 1, BigInt::from(-3));
        assert_eq!(BigInt::from(-1) >> 1000, BigInt::from(-1));
        assert_eq!(BigInt::from(5) >> 1000, BigInt::zero());
        assert_eq!(
            BigInt::from(-3) << 100,
            big("-3802951800684688204490109616128")
        );
        assert_eq!(BigInt::from(-12) & BigInt::from(10), BigInt::from(0));
        assert_eq!(BigInt::from(-12) | BigInt::from(10), BigInt::from(-2));
        assert_eq!(BigInt::from(-12) ^ BigInt::from(-10), BigInt::from(2));
        assert_eq!(BigInt::from(u64::MAX).bits(), 64);
        assert_eq!(BigInt::zero().bits(), 0);
    }

    #[test]
    fn conversions() {
        assert_eq!(BigInt::from(i128::MIN).to_i128(), Some(i128::MIN));
        assert_eq!(i64::try_from(&BigInt::from(1u64 << 63)).ok(), None);
        assert_eq!(BigInt::from(-1).to_u64(), None);
        assert_eq!(BigInt::from(u32::MAX).to_u32(), Some(u32::MAX));
        assert_eq!(
            BigInt::from((1u64 << 53) + 1).to_f64(),
            Some(9007199254740992.0)
        );
        assert_eq!(
            BigInt::from((1u64 << 53) + 3).to_f64(),
            Some(9007199254740996.0)
        );
        assert_eq!((BigInt::from(1) << 2000).to_f64(), Some(f64::INFINITY));
        assert_eq!(
            (BigInt::from(-1) << 1023).to_f64(),
            Some(-(2f64.powi(1023)))
        );
    }

    #[test]
    fn parse_and_radix_format() {
        assert_eq!(
            BigInt::parse_bytes(b"-ff_ff", 16),
            Some(BigInt::from(-65535))
        );
        assert_eq!(BigInt::parse_bytes(b"+z", 36), Some(BigInt::from(35)));
        for bad in ["", "-", "+", "_1", "-+1", "+-1", "--1", "12a", " 1"] {
            assert_eq!(BigInt::parse_bytes(bad.as_bytes(), 10), None, "{bad:?}");
        }
        let v = BigInt::from(-255);
        assert_eq!(
            format!("{v:x} {v:X} {v:o} {v:b} {v:#x}"),
            "-ff -FF -377 -11111111 -0xff"
        );
    }
}
