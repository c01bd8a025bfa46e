"""Argument checks shared by every module of the project (private; written once, used everywhere).

:func:`check_int` accepts Python and numpy integers (never ``bool``) and returns a Python ``int``;
the messages name the argument and what was given, as sentences without numpy reprs.

:class:`ParameterError` is a ValueError whose message names a keyword parameter through a
:class:`Mention`: the theory spells it as Python (``format='matrix'``), and a front-end with
options of its own (a command line's ``--format matrix``) spells the same message its way with
:meth:`ParameterError.spelled`.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["check_int", "Mention", "ParameterError"]

_NO_VALUE = object()


@dataclass(frozen=True)
class Mention:
    """A keyword parameter named in an error message, with or without a value.

    ``str()`` spells it as Python: ``Mention("labels")`` is ``labels=``, ``Mention("format",
    "matrix")`` is ``format='matrix'``, ``Mention("weight", None)`` is ``weight=None``.

    Examples
    --------
    >>> str(Mention("labels")), str(Mention("format", "matrix")), str(Mention("weight", None))
    ('labels=', "format='matrix'", 'weight=None')
    """

    parameter: str
    value: object = _NO_VALUE

    @property
    def has_value(self) -> bool:
        """Whether the mention gives the parameter a value (``format='matrix'``, not ``format=``)."""
        return self.value is not _NO_VALUE

    def __str__(self) -> str:
        return f"{self.parameter}={self.value!r}" if self.has_value else f"{self.parameter}="


class ParameterError(ValueError):
    """A ValueError about one keyword parameter, which :attr:`parameter` names.

    The message is written once, as ``parts`` (text and :class:`Mention` objects) and an optional
    ``hint`` (more parts) that only helps where the parameter can be given.  ``str()`` spells
    every mention as Python; :meth:`spelled` spells them otherwise (a command line's flags) and
    leaves out the hint where a mention in it has no spelling there.

    Examples
    --------
    >>> err = ParameterError("say which with ", Mention("format", "matrix"))
    >>> str(err), err.parameter
    ("say which with format='matrix'", 'format')
    >>> err.spelled(lambda m: f"--{m.parameter} {m.value}")
    'say which with --format matrix'
    >>> missing = ParameterError("a label is missing", hint=(" (pass ", Mention("default"), ")"))
    >>> str(missing), missing.spelled(lambda m: None)
    ('a label is missing (pass default=)', 'a label is missing')
    """

    def __init__(self, *parts, hint=()):
        self.parts = tuple(parts)
        self.hint = tuple(hint)
        mentions = [p for p in (*self.parts, *self.hint) if isinstance(p, Mention)]
        #: the keyword parameter the message names (``None`` if it names none)
        self.parameter: str | None = mentions[0].parameter if mentions else None
        super().__init__(self.spelled(str))

    def spelled(self, spell: Callable[[Mention], str | None]) -> str:
        """The message with each mention written as ``spell(mention)``.

        A mention that ``spell`` returns ``None`` for is written as Python in the message
        itself, and drops the hint it appears in.
        """

        def render(parts, *, in_hint):
            out = []
            for p in parts:
                if isinstance(p, Mention):
                    shown = spell(p)
                    if shown is None and in_hint:
                        return ""
                    p = str(p) if shown is None else shown
                out.append(str(p))
            return "".join(out)

        return render(self.parts, in_hint=False) + render(self.hint, in_hint=True)

    def renamed(self, names: dict[str, str]) -> ParameterError:
        """The same error with the parameters in ``names`` called by their other names (a
        function that passes its ``edge_label=`` on as another's ``labels=``)."""

        def rename(parts):
            return tuple(
                Mention(names.get(p.parameter, p.parameter), p.value)
                if isinstance(p, Mention) and p.has_value
                else Mention(names.get(p.parameter, p.parameter))
                if isinstance(p, Mention)
                else p
                for p in parts
            )

        return ParameterError(*rename(self.parts), hint=rename(self.hint))

    def prefixed(self, prefix: str) -> ParameterError:
        """The same error with ``prefix`` (a file name and ``": "``) in front of the message."""
        return ParameterError(prefix, *self.parts, hint=self.hint)


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
