"""Faster searches for the lexicon's long alternations (label words, title endings, unit names).

Python's `re` tries every branch of an alternation at every position of a line. Most positions
hold a character no branch can start with, so a lookahead on the set of characters a match can
start with (computed from the parsed pattern) rejects them before any branch is tried: the
same matches, several times faster on lines that hold none (most lines). Patterns whose first
character cannot be bounded (a leading \\d, '.', a negated class, a case-insensitive flag, a
pattern that may match the empty string) are compiled unchanged.

`compiled` lists every pattern built here, so a test can check each one against the plain
compile on real text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
import re._constants as C
import re._parser as P

compiled: list[tuple[str, int, re.Pattern]] = []

_MAX_CHARS = 400
_GLOBAL_FLAGS = re.compile(r"^\(\?[aiLmsux]+\)")  # beyond this, the class costs about as much as the branches


def first_chars(pattern: str, flags: int = 0) -> set[str] | None:
    """The characters a match of `pattern` can start with, or None when that set cannot be
    bounded."""
    parsed = P.parse(pattern, flags)
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    chars, may_be_empty = _first(parsed)
    return None if chars is None or may_be_empty else chars


def _first(seq) -> tuple[set[str] | None, bool]:
    """(first characters of the sequence, whether it may match the empty string)."""
    out: set[str] = set()
    for op, av in seq:
        if op is C.LITERAL:
            out.add(chr(av))
            return out, False
        if op is C.IN:
            for o, a in av:
                if o is C.LITERAL:
                    out.add(chr(a))
                elif o is C.RANGE and a[1] - a[0] < 64:
                    out.update(chr(x) for x in range(a[0], a[1] + 1))
                else:
                    return None, False
            return out, False
        if op is C.SUBPATTERN:
            sub, empty = _first(av[-1])
        elif op is C.BRANCH:
            sub, empty = set(), False
            for branch in av[1]:
                s, e = _first(branch)
                if s is None:
                    return None, False
                sub |= s
                empty = empty or e
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
            lo, _hi, body = av
            sub, empty = _first(body)
            empty = empty or lo == 0
        elif op in (C.ASSERT, C.ASSERT_NOT, C.AT):
            continue  # consumes nothing: the match still starts at the next item's character
        else:
            return None, False
        if sub is None:
            return None, False
        out |= sub
        if not empty:
            return out, False
    return out, True


def compile(pattern: str, flags: int = 0) -> re.Pattern:  # noqa: A001 (a drop-in for re.compile)
    chars = first_chars(pattern, flags)
    lead = _GLOBAL_FLAGS.match(pattern)  # "(?s)…" must stay at the start
    if chars and len(chars) <= _MAX_CHARS:
        cls = "".join(re.escape(c) for c in sorted(chars))
        head, body = (lead.group(0), pattern[lead.end():]) if lead else ("", pattern)
        rx = re.compile(f"{head}(?=[{cls}])(?:{body})", flags)
    else:
        rx = re.compile(pattern, flags)
    compiled.append((pattern, flags, rx))
    return rx


# ---------------------------------------------------------------------------------------------
# Characters every match holds

def _required(seq) -> set[str]:
    """Characters that every match of a parsed (sub)pattern contains."""
    out: set[str] = set()
    for op, av in seq:
        if op is C.LITERAL:
            out.add(chr(av))
        elif op is C.SUBPATTERN:
            out |= _required(av[-1])
        elif op is C.BRANCH:
            branches = [_required(b) for b in av[1]]
            out |= set.intersection(*branches) if branches else set()
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
            if av[0] >= 1:
                out |= _required(av[-1])
        elif op is getattr(C, "ATOMIC_GROUP", None):
            out |= _required(av)
        # assertions, classes, anchors, backreferences: nothing required of the match's text
    return out


_required_of: dict[re.Pattern, str] = {}


def required_chars(rx: re.Pattern) -> str:
    """The characters every match of the pattern contains ("" when none can be named; case-
    insensitive patterns name none)."""
    if rx not in _required_of:
        chars = "" if rx.flags & re.IGNORECASE else "".join(sorted(_required(P.parse(rx.pattern, rx.flags))))
        _required_of[rx] = chars
    return _required_of[rx]


def may_match(rx: re.Pattern, text: str) -> bool:
    """False when the text lacks a character every match contains (then no search can match)."""
    return all(c in text for c in required_chars(rx))


# ---------------------------------------------------------------------------------------------
# Scanning many lines at once

def _matches_newline(seq) -> bool:
    """Whether some item of a parsed (sub)pattern could match a newline (conservatively)."""
    for op, av in seq:
        if op is C.LITERAL and av == 10:
            return True
        if op in (C.NOT_LITERAL, C.ANY):
            return True
        if op is C.IN:
            for o, a in av:
                if o is C.NEGATE:
                    return True
                if o is C.CATEGORY and a not in (C.CATEGORY_DIGIT, C.CATEGORY_NOT_SPACE, C.CATEGORY_WORD):
                    return True
                if o is C.RANGE and a[0] <= 10 <= a[1]:
                    return True
                if o is C.LITERAL and a == 10:
                    return True
        elif op is C.SUBPATTERN:
            if _matches_newline(av[-1]):
                return True
        elif op is C.BRANCH:
            if any(_matches_newline(b) for b in av[1]):
                return True
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None), getattr(C, "ATOMIC_GROUP", None)):
            body = av[-1] if op is not getattr(C, "ATOMIC_GROUP", None) else av
            if _matches_newline(body):
                return True
        elif op in (C.ASSERT, C.ASSERT_NOT):
            if _matches_newline(av[1]):
                return True
        elif op is C.GROUPREF_EXISTS:
            return True
    return False


def _line_sound(seq) -> bool:
    """Whether every match of the pattern inside one line is also found when the lines are
    scanned joined by newlines (with MULTILINE): no \\A or \\Z, and no negative lookaround
    that a newline could satisfy (at a line's edge the line alone has nothing there, the joined
    text has the newline)."""
    for op, av in seq:
        if op is C.AT and av in (C.AT_BEGINNING_STRING, C.AT_END_STRING):
            return False
        if op is C.ASSERT_NOT and _matches_newline(av[1]):
            return False
        if op is C.ASSERT_NOT or op is C.ASSERT:
            if not _line_sound(av[1]):
                return False
        elif op is C.SUBPATTERN:
            if not _line_sound(av[-1]):
                return False
        elif op is C.BRANCH:
            if not all(_line_sound(b) for b in av[1]):
                return False
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
            if not _line_sound(av[-1]):
                return False
        elif op is getattr(C, "ATOMIC_GROUP", None):
            if not _line_sound(av):
                return False
        elif op is C.GROUPREF_EXISTS:
            return False
    return True


_joined_forms: dict[re.Pattern, re.Pattern | None] = {}


def joined_form(rx: re.Pattern) -> re.Pattern | None:
    """The pattern to search lines joined by newlines with (MULTILINE: ^ and $ at every line),
    or None when a match inside a line could be missed that way."""
    if rx in _joined_forms:
        return _joined_forms[rx]
    out = None
    if _line_sound(P.parse(rx.pattern, rx.flags)):
        out = re.compile(rx.pattern, rx.flags | re.MULTILINE)
    _joined_forms[rx] = out
    return out


class Lines:
    """Lines (without newlines) and the indexes of those a pattern may match on, found by one
    search over the joined text instead of one search per line.

    Every line on which `rx.search(line)` finds a match is among `with_match(rx)` (a match in a
    line is a match in the joined text, `joined_form` refuses the patterns for which it might
    not be); a line may be listed whose match in the joined text runs over its end, so callers
    still read each listed line themselves."""

    __slots__ = ("lines", "text", "starts")

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.text = "\n".join(lines)
        starts, pos = [], 0
        for s in lines:
            starts.append(pos)
            pos += len(s) + 1
        self.starts = starts

    def with_match(self, rx: re.Pattern, stop: int | None = None) -> list[int]:
        """0-based indexes of the lines before `stop` on which `rx` may match."""
        n = len(self.lines) if stop is None else min(stop, len(self.lines))
        if n == 0:
            return []
        if not may_match(rx, self.text):
            return []
        joined = joined_form(rx)
        if joined is None:
            return [i for i in range(n) if rx.search(self.lines[i])]
        starts, text = self.starts, self.text
        end = starts[n - 1] + len(self.lines[n - 1])
        out: list[int] = []
        pos = 0
        while pos <= end:
            m = joined.search(text, pos, end)
            if m is None:
                break
            i = bisect_right(starts, m.start()) - 1
            out.append(i)
            if i + 1 >= n:
                break
            pos = starts[i + 1]
        return out
