"""Lazy package namespaces: a package re-exports its modules' public names without importing them.

``import effective_theory`` would otherwise import sympy and numba (and ``import verification``
torch) before the first line of user code runs; with :func:`attach` a package's ``__init__`` lists
its modules once, and each name is imported from the first module whose ``__all__`` holds it when
it is first used.  Every public name is written once, in its own module's ``__all__``.

Private module: shared by the packages of this project (``effective_theory``, ``verification``).
"""

from __future__ import annotations

import importlib

__all__ = ["attach"]


def attach(package: str, modules: tuple[str, ...]):
    """``(__getattr__, __dir__)`` for the package ``package`` re-exporting ``modules``' ``__all__``.

    ``modules`` are names relative to the package (``"relations"``, ``"bounds"``), in the order in
    which their names are looked up; ``package.__all__`` is their ``__all__`` lists in that order.
    """

    def load(name: str):
        return importlib.import_module(f"{package}.{name}")

    def public_names() -> list[str]:
        return [n for m in modules for n in load(m).__all__]

    def __getattr__(name: str):
        if name == "__all__":
            return public_names()
        if name in modules:
            return load(name)
        if name.startswith("__"):
            raise AttributeError(name)
        for m in modules:
            module = load(m)
            if "__path__" in module.__dict__ and "__all__" not in module.__dict__:
                # a lazy package itself: ask it for the name (its ``__all__`` would import every
                # one of its modules, numba's among them)
                try:
                    return getattr(module, name)
                except AttributeError:
                    continue
            if name in module.__all__:
                return getattr(module, name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__():
        return sorted({*modules, *public_names()})

    return __getattr__, __dir__
