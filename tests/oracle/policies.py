"""The oracle's stateful policies: the response cache with its key and
normalization (SPEC §4.1, §10 "Cache") and the per-model circuit breaker
(§10 "Calls").
"""
from __future__ import annotations

from collections import OrderedDict
from fractions import Fraction

from arith import *  # noqa: F401,F403
from inputs import *  # noqa: F401,F403


# ----------------------------------------------------------------------------------------
# Cache (§4.1, §10 Cache)
# ----------------------------------------------------------------------------------------

_PUNCT_RANGES = ((0x2000, 0x206F), (0x3000, 0x303F), (0xFF01, 0xFF0F), (0xFF1A, 0xFF20),
                 (0xFF3B, 0xFF40), (0xFF5B, 0xFF65))
_ASCII_PUNCT = set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')
_SPACES = set(" \t\n\v\f\r\u00a0\u3000")


def norm_lower(s: str) -> str:
    """'lower: the Unicode simple lowercase mapping'.  Python's lower() is the full mapping,
    which differs from the simple one only where it is longer: U+0130 İ, whose full mapping
    is i + U+0307 and simple mapping i (UnicodeData.txt), its first character."""
    return "".join(c.lower()[0] for c in s)


def norm_strip_punct(s: str) -> str:
    """'strip_punct removes ASCII punctuation (ispunct in the C locale) and U+2000–U+206F,
    U+3000–U+303F, U+FF01–U+FF0F, U+FF1A–U+FF20, U+FF3B–U+FF40, U+FF5B–U+FF65.'"""
    def keep(c):
        if c in _ASCII_PUNCT:
            return False
        o = ord(c)
        return not any(lo <= o <= hi for lo, hi in _PUNCT_RANGES)
    return "".join(c for c in s if keep(c))


def norm_collapse_space(s: str) -> str:
    """'each run of white space (ASCII space, \\t\\n\\v\\f\\r, U+00A0, U+3000) becomes one
    space, trimmed at both ends.'"""
    out = []
    in_space = False
    for c in s:
        if c in _SPACES:
            in_space = True
        else:
            if in_space and out:
                out.append(" ")
            in_space = False
            out.append(c)
    return "".join(out)


def normalize(text: str, steps: set) -> str:
    """'Normalization runs lower → strip_punct → collapse_space whatever the listed order.'"""
    if "lower" in steps:
        text = norm_lower(text)
    if "strip_punct" in steps:
        text = norm_strip_punct(text)
    if "collapse_space" in steps:
        text = norm_collapse_space(text)
    return text


def cache_key(cfg: Config, r: Req):
    """'key = hash of the configured parts'; 'input is the normalized text, else input_hash;
    a request with neither is not cached (no lookup, no insert)'; 'A text key and an
    input_hash key never compare equal.'  Returns None when not cached: with neither text nor
    input_hash, whatever the key's parts."""
    if r.text is None and r.input_hash is None:
        return None
    parts = []
    for part in cfg.cache_key:
        if part == "tenant":
            parts.append(("tenant", r.tenant))
        elif part == "task":
            parts.append(("task", r.task))
        elif part == "policy_version":
            parts.append(("policy_version", cfg.cache_pv))
        elif part == "input":
            if r.text is not None:
                parts.append(("input", "text", normalize(r.text, cfg.cache_norm)))
            else:
                parts.append(("input", "hash", r.input_hash))
        else:
            raise ValueError(f"unknown cache key part {part}")
    return tuple(parts)


class Cache:
    """Entries: key -> (expiry_us or None, tokens, usd).  The OrderedDict order is recency
    for lru and insertion for fifo; the first entry is the next victim."""

    def __init__(self, capacity, eviction):
        self.capacity = capacity
        self.eviction = eviction
        self.entries = OrderedDict()

    def _expire(self, t: int):
        """'It expires at answer time + its tier's TTL (a lookup at that instant misses) and
        stops counting toward capacity at that instant'."""
        dead = [k for k, (exp, _, _) in self.entries.items() if exp is not None and exp <= t]
        for k in dead:
            del self.entries[k]

    def lookup(self, key, t: int):
        """'A present, unexpired entry is a hit'; LRU: a hit makes it most recent."""
        self._expire(t)
        e = self.entries.get(key)
        if e is None:
            return None
        if self.eviction == "lru":
            self.entries.move_to_end(key)
        return e

    def insert(self, key, t: int, ttl_us, tokens: int, usd: int):
        """'An entry is inserted when its answer arrives; overlapping misses of one key all
        call, and the later answer replaces value and expiry (LRU moves it to the front;
        FIFO keeps its place).'  'Eviction when capacity entries are held'."""
        self._expire(t)
        val = (None if ttl_us is None else t + ttl_us, tokens, usd)
        if key in self.entries:
            self.entries[key] = val
            if self.eviction == "lru":
                self.entries.move_to_end(key)
            return
        if self.capacity is not None:
            while len(self.entries) >= self.capacity and self.entries:
                self.entries.popitem(last=False)
            if self.capacity <= 0:
                return
        self.entries[key] = val


# ----------------------------------------------------------------------------------------
# Breaker (§10 Calls)
# ----------------------------------------------------------------------------------------

class Breaker:
    """'one per model, over the outcomes of its last window calls as they end (failures:
    TRANSIENT_INFRA); when the window is full and failures ≥ failure_ratio × window it opens
    for open_s, then lets one probe through (other calls are rejected while it is out), which
    closes it with an empty window on success and re-opens it on failure; outcomes arriving
    while open are ignored.'"""

    def __init__(self, window: int, ratio_: Fraction, open_us: int):
        self.window = window
        self.ratio = ratio_
        self.open_us = open_us
        self.state = "closed"      # closed | open | probe (open with its probe out)
        self.opened_at = None
        self.outcomes = []         # True = failure
        self.probe_id = None

    def admit(self, t: int, call_id) -> bool:
        """README: 'A breaker changes state when a call meets it (an open breaker lets its
        probe through at the first call at or after open_s)'."""
        if self.rejects(t):
            return False
        if self.state == "open":
            self.state = "probe"
            self.probe_id = call_id
        return True

    def rejects(self, t: int) -> bool:
        """Whether a call meeting the breaker at t would be rejected (nothing changes)."""
        return self.state == "probe" or (self.state == "open" and t < self.opened_at + self.open_us)

    def _open(self, t: int):
        self.state = "open"
        self.opened_at = t
        self.outcomes = []
        self.probe_id = None

    def record(self, t: int, call_id, cls: str):
        failure = cls in TRANSIENT
        if self.state == "probe" and call_id == self.probe_id:
            if failure:
                self._open(t)               # 're-opens it on failure'
            else:
                self.state = "closed"       # 'closes it with an empty window on success'
                self.outcomes = []
                self.probe_id = None
            return
        if self.state != "closed":
            return                          # 'outcomes arriving while open are ignored'
        self.outcomes.append(failure)
        if len(self.outcomes) > self.window:
            self.outcomes.pop(0)
        if len(self.outcomes) == self.window and \
                sum(self.outcomes) >= self.ratio * self.window:
            self._open(t)
