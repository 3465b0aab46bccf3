"""The oracle's exact numbers: decimal text to Fractions, half-even rounding,
timestamps to integer microseconds, and the draw of SPEC §10 (FNV-1a 64 and the
splitmix64 finalizer).  Money is integer pico-USD, times integer µs.
"""
from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

PICO = 10 ** 12
US_PER_MS = 1000
US_PER_S = 1_000_000
MAX_LATENCY_US = 10 ** 16  # a latency_ms is at most 10^13
MASK64 = (1 << 64) - 1
TWO53 = 1 << 53

TRANSIENT = ("timeout", "rate_limited", "server_error")
# "the first class c, in the order timeout, rate_limited, server_error, invalid_request,
#  content_filter, context_length"
CLASS_ORDER = ("timeout", "rate_limited", "server_error",
               "invalid_request", "content_filter", "context_length")


# ----------------------------------------------------------------------------------------
# Exact numbers
# ----------------------------------------------------------------------------------------

def exact(v) -> Fraction:
    """A JSON number (int, float as parsed by json, or numeric string) as an exact decimal.
    Floats are read back through their shortest repr, i.e. the decimal text of the JSON."""
    if isinstance(v, bool):
        raise TypeError("boolean is not a number")
    if isinstance(v, int):
        return Fraction(v)
    if isinstance(v, float):
        return Fraction(Decimal(repr(v)))
    if isinstance(v, (Decimal, Fraction)):
        return Fraction(v)
    if isinstance(v, str):
        return Fraction(Decimal(v))
    raise TypeError(f"not a number: {v!r}")


def round_half_even(fr: Fraction) -> int:
    """'Times and durations finer than 1 µs are rounded half-even to a microsecond.'"""
    fr = Fraction(fr)
    q, r = divmod(fr.numerator, fr.denominator)
    twice = 2 * r
    if twice > fr.denominator or (twice == fr.denominator and q % 2 == 1):
        q += 1
    return q


def ms_to_us(v) -> int:
    """latency_ms / backoff_ms / timeout_ms (ms, maybe fractional) -> µs, half-even."""
    return round_half_even(exact(v) * US_PER_MS)


def s_to_us(v) -> int:
    return round_half_even(exact(v) * US_PER_S)


def ratio(num, den) -> float:
    """Ratios: exact ratio to nearest double; 'Ratios with a zero denominator are 0'."""
    if den == 0:
        return 0.0
    return float(Fraction(num, den))


# ----------------------------------------------------------------------------------------
# Time parsing: "Virtual time is integer microseconds, parsed exactly from the decimal
# text of ts."
# ----------------------------------------------------------------------------------------

_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def parse_ts(v) -> int:
    """RFC 3339 string or epoch seconds -> integer µs since the Unix epoch."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return s_to_us(v)
    m = _RFC3339.match(v)
    if not m:
        raise ValueError(f"bad ts {v!r}")
    y, mo, d, hh, mi, ss = (int(m.group(k)) for k in range(1, 7))
    frac = m.group(7)
    secs = _days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss
    tz = m.group(8)
    if tz not in ("Z", "z"):
        sign = 1 if tz[0] == "+" else -1
        secs -= sign * (int(tz[1:3]) * 3600 + int(tz[4:6]) * 60)
    us = secs * US_PER_S
    if frac:
        us += round_half_even(Fraction(int(frac[1:]), 10 ** (len(frac) - 1)) * US_PER_S)
    return us


# ----------------------------------------------------------------------------------------
# The draw (§10 Calls)
# ----------------------------------------------------------------------------------------

def fnv1a64(data: bytes) -> int:
    """'FNV-1a 64 (offset 0xcbf29ce484222325, prime 0x100000001b3)'"""
    h = 0xcbf29ce484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001b3) & MASK64
    return h


def splitmix64_finalize(z: int) -> int:
    """'z ^= z >> 30; z *= 0xbf58476d1ce4e5b9; z ^= z >> 27; z *= 0x94d049bb133111eb;
        z ^= z >> 31 (mod 2^64)'"""
    z &= MASK64
    z ^= z >> 30
    z = (z * 0xbf58476d1ce4e5b9) & MASK64
    z ^= z >> 27
    z = (z * 0x94d049bb133111eb) & MASK64
    z ^= z >> 31
    return z


def draw(seed, index: int, model: str, attempt: str) -> int:
    """'x = splitmix64_finalize(fnv1a64("SEED|INDEX|MODEL|ATTEMPT")) >> 11', UTF-8."""
    s = f"{seed}|{index}|{model}|{attempt}"
    return splitmix64_finalize(fnv1a64(s.encode("utf-8"))) >> 11


def draw_fails(x: int, rate: Fraction) -> bool:
    """'The call fails when x < rate × 2^53' (exactly)."""
    return x * rate.denominator < rate.numerator * TWO53
