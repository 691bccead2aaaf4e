"""How reasons quote the draft: verbatim text, clipped for a one-line reason.

Japanese quotes are clipped by characters (the judges' own ``_snippet``/``_clip``, unchanged); an
English quote needs more characters to say as much and reads badly cut mid-word, so it is clipped
at a word boundary.
"""

from __future__ import annotations


def clip_words(text: str, n: int) -> str:
    """``text`` on one line, at most ``n`` characters, cut after a whole word (``…`` marks the cut)."""
    s = " ".join(text.split())
    if len(s) <= n:
        return s
    cut = s[: n - 1]
    space = cut.rfind(" ")
    if space > n // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:–-") + "…"
