"""HTML escaping as Jinja2's autoescaping does it (``markupsafe.escape``), as a ``str``.

The page parts written in Python escape a few hundred values a page inside f-strings;
``markupsafe.escape`` makes a ``Markup`` of each (a Python-level ``__new__``, ~10 times the
escaping itself) only for the f-string to turn it back into text.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape as _html_escape

import markupsafe
from markupsafe import escape


def _fallback(s: str) -> str:
    """What MarkupSafe writes, from the standard library's escaping."""
    return _html_escape(s).replace("&#x27;", "&#39;").replace("&quot;", "&#34;")


# MarkupSafe's own (C) escaping of a str, what markupsafe.escape calls; where another
# MarkupSafe has none by that name, the same bytes more slowly.
_escape_str: Callable[[str], str] = getattr(markupsafe, "_escape_inner", _fallback)


def esc(value: object) -> str:
    """``str(markupsafe.escape(value))``: a ``str`` escaped (``&<>'"``), what has
    ``__html__`` (Markup) as it is, anything else escaped as its ``str``."""
    if type(value) is str:
        return _escape_str(value)
    return str(escape(value))
