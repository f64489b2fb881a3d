"""Every text colour of the workbooks against every background they can meet: at least
4.5:1 (WCAG 2.1 AA), computed from look.py's own colours."""

from __future__ import annotations

import pytest

from indikator_xl.sheets import look

BACKGROUNDS = {"vit": "FFFFFF", **look.FILLS, **{f"reserv_{k}": v
                                                for k, v in look.FALLBACK_FILLS.items()}}
TEXTS = {"svart": "000000", **look.FONT_COLOURS}


def _luminance(colour: str) -> float:
    """WCAG relative luminance of "RRGGBB"."""
    channels = []
    for i in (0, 2, 4):
        c = int(colour[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_formula_on_known_pairs():
    assert contrast("000000", "FFFFFF") == pytest.approx(21.0)
    assert contrast("FFFFFF", "FFFFFF") == pytest.approx(1.0)
    assert contrast("767676", "FFFFFF") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("text", sorted(TEXTS))
@pytest.mark.parametrize("background", sorted(BACKGROUNDS))
def test_text_reads_on_every_background(text, background):
    ratio = contrast(TEXTS[text], BACKGROUNDS[background])
    assert ratio >= 4.5, f"{text} {TEXTS[text]} på {background}: {ratio:.2f}"
