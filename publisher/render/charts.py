"""Bar charts drawn on the server as accessible SVG (no JavaScript, no library).

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that states every
number, and the same numbers as an HTML table beside it whose rows link to the filtered
list (links inside an image would be controls nested in an image: not accessible).
Labels sit on their own line above their bar so that long labels and
narrow phones both fit; colours keep 3:1 against white for the bars (WCAG 1.4.11) and
4.5:1 for the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from publisher.render.escaping import esc

WIDTH = 420
ROW = 40  # height of one row: label line + bar
BAR = 14
LABEL_Y = 14  # baseline of the label within a row
BAR_Y = 20
VALUE_GAP = 6
INK = "#1d2430"
BAR_FILL = "#004f8c"  # 8.6:1 on white
PART_FILL = "#106b2e"  # 6.4:1 on white (the open-source part of a bar)
REST_STROKE = "#5b6472"  # outline of the rest of a bar (6.0:1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    href: str | None = None
    lang: str | None = None  # the label's language when not the page's
    part: int | None = None  # of ``value``, drawn in the second colour (a share)
    note: str = ""  # the value as text when it is not just the number ("3 / 6")


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    bars: tuple[Bar, ...]
    desc: str  # every number in words, for the text alternative
    svg: Markup


def bar_chart(chart_id: str, title: str, bars: list[Bar], desc: str) -> Chart:
    """A horizontal bar chart; with ``part`` set, each bar shows a share of its value."""
    top = max((b.value for b in bars), default=0) or 1
    height = ROW * max(1, len(bars)) + 4
    # room for the value written after the longest bar (about 7.5 units a character)
    longest = max((len(b.note or str(b.value)) for b in bars), default=1)
    label_width = WIDTH - round(longest * 7.5) - VALUE_GAP - 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="barchart">',
        f'<title id="{chart_id}-title">{esc(title)}</title>',
        f'<desc id="{chart_id}-desc">{esc(desc)}</desc>',
    ]
    for i, bar in enumerate(bars):
        y = i * ROW
        length = 0 if bar.value == 0 else max(2, round(label_width * bar.value / top))
        shown = bar.note or str(bar.value)
        lang = f' xml:lang="{esc(bar.lang)}"' if bar.lang else ""
        row = [
            f'<text x="0" y="{y + LABEL_Y}" font-size="13" fill="{INK}"{lang}>'
            f"{esc(_clip(bar.label, 58))}</text>"
        ]
        if bar.part is None:
            row.append(
                f'<rect x="0" y="{y + BAR_Y}" width="{length}" height="{BAR}" fill="{BAR_FILL}"/>'
            )
        else:
            share = 0 if bar.value == 0 else round(length * bar.part / bar.value)
            row.append(
                f'<rect x="0.5" y="{y + BAR_Y + 0.5}" width="{max(0, length - 1)}" '
                f'height="{BAR - 1}" fill="#ffffff" stroke="{REST_STROKE}"/>'
            )
            if share:
                row.append(
                    f'<rect x="0" y="{y + BAR_Y}" width="{share}" height="{BAR}" '
                    f'fill="{PART_FILL}"/>'
                )
        row.append(
            f'<text x="{length + VALUE_GAP}" y="{y + BAR_Y + BAR - 2}" font-size="13" '
            f'fill="{INK}">{esc(shown)}</text>'
        )
        # No links inside: the chart is one image (role="img"); its table links each row.
        parts.append(f"<g>{''.join(row)}</g>")
    parts.append("</svg>")
    return Chart(chart_id, title, tuple(bars), desc, Markup("".join(parts)))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
