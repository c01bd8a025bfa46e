"""Argument checks shared by every module of the project (private; written once, used everywhere).

:func:`check_int` accepts Python and numpy integers (never ``bool``) and returns a Python ``int``;
the messages name the argument and what was given, as sentences without numpy reprs.
"""

from __future__ import annotations

import numbers

__all__ = ["check_int"]


def check_int(value, name: str, *, minimum: int | None = None) -> int:
    """``value`` as an ``int``: a TypeError unless it is an integer, a ValueError below ``minimum``.

    Examples
    --------
    >>> check_int(3, "n", minimum=1)
    3
    >>> check_int(0, "steps", minimum=1)
    Traceback (most recent call last):
    ...
    ValueError: steps must be >= 1, got 0
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        shown = (
            repr(float(value)) if isinstance(value, numbers.Real) and not isinstance(value, bool) else None
        )
        raise TypeError(f"{name} must be an integer, got {shown or type(value).__name__}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value
