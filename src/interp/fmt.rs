//! fmt: how CPython spells values: `float_repr` (shortest round-trip digits, `repr` style switching to
//! exponent form below 1e-4 and from 1e16, `Objects/floatobject.c` + `Python/pystrtod.c`), `unicode_repr`
//! quoting and escaping (`Objects/unicodeobject.c`), and `bytes_repr`.

use crate::object::bigint::{f64_parts, BigInt};

/// The shortest digits that read back as finite `x > 0`, and the decimal exponent of the first: what
/// `repr` prints (David Gay's mode 0). Ryū finds the same digits; it is used instead of `core::fmt` so the
/// wasm build carries no float formatting of its own.
pub fn shortest(x: f64) -> (String, i32) {
    let mut buf = ryu::Buffer::new();
    let text = buf.format_finite(x);
    let (mant, exp) = text.split_once('e').unwrap_or((text, "0"));
    let point = mant.find('.').unwrap_or(mant.len()) as i32;
    let all: String = mant.chars().filter(|c| *c != '.').collect();
    let lead = (all.len() - all.trim_start_matches('0').len()) as i32;
    let digits = all.trim_matches('0').to_string();
    let exp: i32 = exp.parse().unwrap_or(0);
    (digits, point + exp - lead - 1)
}

/// `repr(float)`.
pub fn float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if x == 0.0 {
        return if x.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    let (digits, exp) = shortest(x.abs());
    let sign = if x < 0.0 { "-" } else { "" };
    let decpt = exp + 1; // position of the decimal point relative to the digits
    let n = digits.len() as i32;
    if (-4..16).contains(&exp) {
        let s = if decpt <= 0 {
            format!("0.{}{}", "0".repeat((-decpt) as usize), digits)
        } else if decpt >= n {
            format!("{}{}.0", digits, "0".repeat((decpt - n) as usize))
        } else {
            format!(
                "{}.{}",
                &digits[..decpt as usize],
                &digits[decpt as usize..]
            )
        };
        format!("{sign}{s}")
    } else {
        let m = if n == 1 {
            digits.clone()
        } else {
            format!("{}.{}", &digits[..1], &digits[1..])
        };
        format!("{sign}{m}{}", exponent(exp.into()))
    }
}

/// `round_half_even(x · 10^k)` for a finite `x ≥ 0`, computed from the exact binary value as David
/// Gay's `_Py_dg_dtoa` does in its fixed modes 2 and 3 (`Python/dtoa.c`, all versions): so `'%.2f' % 2.675`
/// is `2.67` and `'%.0f' % 0.5` is `0`.
fn scaled_round(x: f64, k: i64) -> BigInt {
    let (m, e) = f64_parts(x);
    // x · 10^k = m · 5^k · 2^(e + k)
    let five = BigInt::from(5u32).pow(k.unsigned_abs());
    let (mut num, mut den) = if k >= 0 {
        (BigInt::from(m) * five, BigInt::from(1u32))
    } else {
        (BigInt::from(m), five)
    };
    let twos = e + k;
    if twos >= 0 {
        num = num << twos as u64;
    } else {
        den = den << twos.unsigned_abs();
    }
    div_round_even(&num, &den)
}

/// `num / den` (both positive) rounded half to even, the rounding of dtoa and strtod.
fn div_round_even(num: &BigInt, den: &BigInt) -> BigInt {
    let (q, r) = num.div_mod_floor(den);
    match (r << 1u64).cmp(den) {
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal if q.is_odd() => q + 1,
        _ => q,
    }
}

/// `double_round` (`Objects/floatobject.c`) for finite `x`: the decimal rounded half-even at 10^-ndigits
/// from the exact binary value (dtoa mode 3, so round(2.675, 2) is 2.67 and round(1e300, -299) is 1e300),
/// read back with strtod; the sign stays (round(-0.4) is -0.0).
pub fn round_decimal(x: f64, ndigits: i64) -> f64 {
    let q = scaled_round(x.abs(), ndigits);
    parse_decimal(&format!("{q}e{}", -ndigits))
        .unwrap_or(x)
        .copysign(x)
}

const EXACT_PLACES: usize = 1100;
const EXACT_DIGITS: usize = 800;

/// `format(x, '.{prec}f')` of `|x|` (`'f'` in `PyOS_double_to_string`, dtoa mode 3).
pub fn fixed(x: f64, prec: usize) -> String {
    let x = x.abs();
    if !x.is_finite() {
        return non_finite(x);
    }
    // A double's exact value ends within 1074 places after the point: past that, digits are zeros, and
    // the big-integer work stays bounded however large the precision ('%.1000000f').
    let exact = prec.min(EXACT_PLACES);
    let digits = scaled_round(x, exact as i64).to_string();
    let digits = format!("{digits:0>width$}", width = exact + 1);
    let point = digits.len() - exact;
    if prec == 0 {
        digits
    } else {
        let zeros = "0".repeat(prec - exact);
        format!("{}.{}{zeros}", &digits[..point], &digits[point..])
    }
}

/// The first `n ≥ 1` significant digits of finite `x > 0`, rounded half-even, and the decimal exponent of
/// the first (dtoa mode 2). Zero gives `n` zeros and exponent 0.
fn significant(x: f64, n: usize) -> (String, i64) {
    if x == 0.0 {
        return ("0".repeat(n), 0);
    }
    // A double has at most 767 significant decimal digits: more are zeros.
    if n > EXACT_DIGITS {
        let (mut d, exp) = significant(x, EXACT_DIGITS);
        d.push_str(&"0".repeat(n - EXACT_DIGITS));
        return (d, exp);
    }
    let low = BigInt::from(10u32).pow(n as u64 - 1);
    let high = &low * 10;
    let mut exp = x.log10().floor() as i64;
    // log10 can be one off near powers of ten, and rounding can carry into a new digit (9.99 → 1.0e+01):
    // the exponent is the one whose rounded digits have exactly `n` places.
    for _ in 0..4 {
        let d = scaled_round(x, n as i64 - 1 - exp);
        if d >= high {
            exp += 1;
        } else if d < low {
            exp -= 1;
        } else {
            return (d.to_string(), exp);
        }
    }
    unreachable!(/* the exponent settles within two corrections */)
}

fn exponent(exp: i64) -> String {
    format!("e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
}

fn non_finite(x: f64) -> String {
    if x.is_nan() { "nan" } else { "inf" }.into()
}

/// `format(x, '.{prec}e')` of `|x|`, lower case.
pub fn scientific(x: f64, prec: usize) -> String {
    let x = x.abs();
    if !x.is_finite() {
        return non_finite(x);
    }
    let (d, exp) = significant(x, prec + 1);
    let point = if prec == 0 { "" } else { "." };
    format!("{}{point}{}{}", &d[..1], &d[1..], exponent(exp))
}

/// `format(x, '.{prec}g')` of `|x|` (`format_float_short`, `Python/pystrtod.c`): exponent form when the
/// exponent is below -4 or not below the precision; trailing zeros dropped unless `alt` (`#`).
/// `add_dot_0` is the spec without a type and with a precision: like `g`, but an integral value keeps
/// `.0` and the exponent form starts one place earlier.
pub fn general(x: f64, prec: usize, alt: bool, add_dot_0: bool) -> String {
    let x = x.abs();
    if !x.is_finite() {
        return non_finite(x);
    }
    let prec = prec.max(1);
    let (d, exp) = significant(x, prec);
    let limit = if add_dot_0 {
        prec as i64 - 1
    } else {
        prec as i64
    };
    let use_exp = exp < -4 || exp >= limit;
    let decpt = if use_exp { 1 } else { exp + 1 };
    let mut digits = d;
    if !alt {
        let keep = digits.trim_end_matches('0').len().max(1);
        digits.truncate(keep);
    }
    let (int_part, frac_part) = if decpt <= 0 {
        (
            "0".to_string(),
            format!("{}{digits}", "0".repeat(decpt.unsigned_abs() as usize)),
        )
    } else if decpt as usize >= digits.len() {
        let pad = "0".repeat(decpt as usize - digits.len());
        (format!("{digits}{pad}"), String::new())
    } else {
        let (a, b) = digits.split_at(decpt as usize);
        (a.to_string(), b.to_string())
    };
    let frac_part = if frac_part.is_empty() && add_dot_0 && !use_exp {
        "0".to_string()
    } else {
        frac_part
    };
    let mut out = int_part;
    if !frac_part.is_empty() || alt {
        out.push('.');
        out.push_str(&frac_part);
    }
    if use_exp {
        out.push_str(&exponent(exp));
    }
    out
}

/// The double nearest `text` (digits, an optional point and fraction, an optional exponent, an optional
/// sign), ties to even: `_Py_dg_strtod` (`Python/dtoa.c`), done with exact integers. None if `text` is not
/// such a number. Overflow gives an infinity and underflow a zero, as CPython's float literals do.
pub fn parse_decimal(text: &str) -> Option<f64> {
    let (neg, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (mant, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.len() + frac.len() == 0 || !all_digits(int) || !all_digits(frac) {
        return None;
    }
    let mut e10: i64 = match exp {
        None => 0,
        Some(e) => {
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || !all_digits(digits) {
                return None;
            }
            // Past any double's range either way; saturating keeps the sum below from overflowing.
            let v = digits
                .parse::<i64>()
                .unwrap_or(i64::MAX / 4)
                .min(i64::MAX / 4);
            if e.starts_with('-') {
                -v
            } else {
                v
            }
        }
    };
    let all = format!("{int}{frac}");
    let mut digits = all.trim_start_matches('0').to_string();
    e10 -= frac.len() as i64;
    // A double's exact halfway points have at most 767 significant digits, so the first 800 and whether
    // anything non-zero follows (a sticky digit) round the same as all of them, and a long input stays cheap.
    if digits.len() > EXACT_DIGITS {
        let sticky = digits.as_bytes()[EXACT_DIGITS..].iter().any(|&b| b != b'0');
        e10 += (digits.len() - EXACT_DIGITS) as i64;
        digits.truncate(EXACT_DIGITS);
        if sticky {
            digits.push('1');
            e10 -= 1;
        }
    }
    let digits = digits.as_str();
    let signed = |x: f64| if neg { -x } else { x };
    if digits.is_empty() {
        return Some(signed(0.0));
    }
    // value < 10^magnitude. DBL_MAX is below 10^309 and half the smallest subnormal (2^-1075) above
    // 10^-326: past these bounds (with a margin) the answer is an infinity or a zero without arithmetic.
    let magnitude = digits.len() as i64 + e10;
    if magnitude > 310 {
        return Some(signed(f64::INFINITY));
    }
    if magnitude < -330 {
        return Some(signed(0.0));
    }
    let m = BigInt::parse_bytes(digits.as_bytes(), 10)?;
    let ten = BigInt::from(10u32).pow(e10.unsigned_abs());
    let (num, den) = if e10 >= 0 {
        (m * ten, BigInt::from(1u32))
    } else {
        (m, ten)
    };
    // value = q · 2^-s with 2^52 ≤ q < 2^53, or s = 1074 for subnormals. The bit lengths put
    // num · 2^s / den in [2^51, 2^53); one more bit when it is below 2^52.
    let scaled = |s: i64| {
        if s >= 0 {
            (&num << s as u64, den.clone())
        } else {
            (num.clone(), &den << s.unsigned_abs())
        }
    };
    let mut s = 52 - (num.bits() as i64 - den.bits() as i64);
    let (n, d) = scaled(s);
    if n < (d << 52u64) {
        s += 1;
    }
    let mut s = s.min(1074);
    let (n, d) = scaled(s);
    let mut q = div_round_even(&n, &d).to_u64()?;
    if q == 1 << 53 {
        q >>= 1;
        s -= 1;
    }
    let biased = 52 - s + 1023;
    if biased >= 0x7ff {
        return Some(signed(f64::INFINITY));
    }
    let bits = if q >= 1 << 52 {
        ((biased as u64) << 52) | (q - (1 << 52))
    } else {
        q // subnormal: s is 1074
    };
    Some(signed(f64::from_bits(bits)))
}

/// `repr(str)`: single quotes unless the text has a single quote and no double quote.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if is_printable(c) => out.push(c),
            c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push(quote);
    out
}

/// `Py_UNICODE_ISPRINTABLE`, approximated: everything but controls, separators other than space, and
/// unassigned/format/surrogate ranges that matter in practice.
fn is_printable(c: char) -> bool {
    let u = c as u32;
    !(u < 0x20
        || (0x7f..0xa0).contains(&u)
        || u == 0xad
        || (0x2000..=0x200f).contains(&u) && u != 0x2000 - 1
        || (0x2028..=0x202e).contains(&u)
        || (0x2060..=0x206f).contains(&u)
        || u == 0xfeff
        || (0xd800..0xe000).contains(&u)
        || (0xe000..0xf900).contains(&u)
        || (0xfff0..=0xffff).contains(&u))
}

/// `repr(bytes)`, with the `b` prefix.
pub fn bytes_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from("b");
    out.push(quote);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if c as char == quote => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => out.push_str(&format!("\\x{c:02x}")),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_cpython() {
        for (x, s) in [
            (1.5, "1.5"),
            (0.1, "0.1"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-2.5e-10, "-2.5e-10"),
            (123456789.125, "123456789.125"),
            (1.0 / 3.0, "0.3333333333333333"),
            (2.0, "2.0"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
        ] {
            assert_eq!(float_repr(x), s);
        }
    }

    /// Ryū's digits are as short as core's `{:e}` (Grisu/Dragon4) and read back as the same double. Where
    /// they differ the exact value is a tie between two shortest candidates: CPython (dtoa mode 0) and Ryū
    /// take the even one (repr(9.575176008193613e14) is '957517600819361.2'), core the upper one.
    #[test]
    fn shortest_digits_round_trip_and_break_ties_even() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut ties = 0;
        for i in 0..200_000u64 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let x = f64::from_bits(if i % 2 == 0 {
                state >> 1
            } else {
                (state >> 12) | 0x3ff0_0000_0000_0000
            });
            if !x.is_finite() || x == 0.0 {
                continue;
            }
            let core = format!("{x:e}");
            let (m, ex) = core.split_once('e').unwrap();
            let want: String = m.chars().filter(|c| *c != '.').collect();
            let (got, exp) = shortest(x);
            assert_eq!(
                format!("{}.{}e{exp}", &got[..1], &got[1..])
                    .parse::<f64>()
                    .unwrap(),
                x
            );
            assert_eq!(
                (got.len(), exp),
                (want.len(), ex.parse().unwrap()),
                "{core}"
            );
            if got != want {
                ties += 1;
                assert_eq!(got.as_bytes().last().unwrap() % 2, 0, "{core}: {got}");
            }
        }
        assert!(ties < 100, "{ties} ties");
        assert_eq!(
            shortest(9.575176008193613e14),
            ("9575176008193612".into(), 14)
        );
        assert_eq!(shortest(1e16), ("1".into(), 16));
        assert_eq!(shortest(0.001), ("1".into(), -3));
        assert_eq!(shortest(5e-324), ("5".into(), -324));
    }

    /// Fixed, exponent and general forms round the exact binary value half-even, as CPython prints them.
    #[test]
    fn fixed_precision_like_cpython() {
        assert_eq!(fixed(2.675, 2), "2.67");
        assert_eq!(round_decimal(1e300, -299), 1e300);
        assert_eq!(round_decimal(2.675, 2), 2.67);
        assert_eq!(round_decimal(-0.4, 0).to_bits(), (-0.0f64).to_bits());
        assert_eq!(round_decimal(1234.5, -1), 1230.0);
        assert_eq!(round_decimal(1235.0, -1), 1240.0);
        assert_eq!(fixed(0.5, 0), "0");
        assert_eq!(fixed(1.5, 0), "2");
        assert_eq!(fixed(0.1, 20), "0.10000000000000000555");
        // Past a double's last digit only zeros follow, and huge precisions stay cheap.
        let long = fixed(5e-324, 100_000);
        assert_eq!(long.len(), 100_002);
        assert!(long[2..].starts_with(&"0".repeat(323)));
        assert!(long.ends_with(&"0".repeat(90_000)));
        assert_eq!(&fixed(5e-324, 1200)[..1076], &long[..1076]);
        assert_eq!(
            scientific(0.1, 1000)[..30].to_string(),
            "1.0000000000000000555111512312"
        );
        assert!(scientific(0.1, 100_000).ends_with("0000e-01"));
        assert_eq!(scientific(9.995, 2), "9.99e+00");
        assert_eq!(scientific(9.9999, 2), "1.00e+01");
        assert_eq!(scientific(5e-324, 3), "4.941e-324");
        assert_eq!(general(99999.5, 5, false, false), "1e+05");
        assert_eq!(general(123.0, 3, false, true), "1.23e+02");
        assert_eq!(general(1.0, 3, false, true), "1.0");
        assert_eq!(general(100.0, 3, true, false), "100.");
        assert_eq!(general(0.0001234, 3, false, false), "0.000123");
    }

    /// `parse_decimal` rounds like core's correctly rounded parser, on random digits, exact halfway points,
    /// subnormals, and the edges of overflow and underflow.
    #[test]
    fn decimal_parsing_is_correctly_rounded() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut cases: Vec<String> = vec![
            "0".into(),
            "0.0".into(),
            "-0.0".into(),
            ".5".into(),
            "5.".into(),
            "1e308".into(),
            "1.7976931348623157e308".into(),
            "1.7976931348623158e308".into(),
            "1.8e308".into(),
            "4.9406564584124654e-324".into(),
            "2.4703282292062327e-324".into(),
            "2.4703282292062328e-324".into(),
            "2.2250738585072011e-308".into(),
            "9007199254740993".into(),
            "1e-400".into(),
            "1e400".into(),
            "+1.5E+3".into(),
            "123456789012345678901234567890".into(),
        ];
        for _ in 0..20_000 {
            let x = f64::from_bits(next() >> 1);
            if !x.is_finite() {
                continue;
            }
            cases.push(format!("{x:e}"));
            cases.push(format!("{:.30e}", x));
            // The exact midpoint between x and its successor, written out in full: ties go to even.
            let (m, e) = f64_parts(x);
            let odd = BigInt::from(2 * m + 1);
            let mid = if e > 0 {
                (odd << (e - 1) as u64).to_string()
            } else {
                let k = (1 - e) as u64;
                format!("{}e-{k}", odd * BigInt::from(5u32).pow(k))
            };
            cases.push(mid);
            let digits = next() % 10_000_000_000_000_000_000;
            let e = (next() % 700) as i64 - 350;
            cases.push(format!("{digits}e{e}"));
        }
        for c in &cases {
            assert_eq!(
                parse_decimal(c).map(f64::to_bits),
                c.parse::<f64>().ok().map(f64::to_bits),
                "{c}"
            );
        }
        // Long inputs: the digits past 800 only decide ties, through a sticky digit.
        let long = format!("{}e-99990", "1".repeat(100_000));
        assert_eq!(parse_decimal(&long), long.parse::<f64>().ok());
        // 1 + 2^-53 exactly, a tie (to even: 1.0), then the same with a non-zero digit 2000 places on.
        let tie = format!(
            "1.00000000000000011102230246251565404236316680908203125{}",
            "0".repeat(2000)
        );
        assert_eq!(parse_decimal(&tie), Some(1.0));
        assert_eq!(parse_decimal(&format!("{tie}1")), Some(1.0000000000000002));
        assert_eq!(parse_decimal("1e"), None);
        assert_eq!(parse_decimal("."), None);
        assert_eq!(parse_decimal("1.2.3"), None);
    }

    #[test]
    fn strings_quote_like_cpython() {
        assert_eq!(str_repr("a'b"), "\"a'b\"");
        assert_eq!(str_repr("a'b\""), "'a\\'b\"'");
        assert_eq!(str_repr("\u{e9}\n"), "'\u{e9}\\n'");
        assert_eq!(bytes_repr(b"a\x00'"), "b\"a\\x00'\"");
    }
}
