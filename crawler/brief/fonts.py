"""The brief's font, inside the page: DejaVu Sans, subset to the characters the page uses.

Why this font: it covers Arabic with the OpenType features browsers need to join the
letters (init, medi, fina, rlig), it ships inside matplotlib (a pinned dependency: no
system package or download), and its licence (the Bitstream Vera licence with DejaVu's
public-domain changes, matplotlib's mpl-data/fonts/ttf/LICENSE_DEJAVU) allows embedding
and subsetting. The charts are measured with it too (crawler/brief/charts.py).

Whole, a face is 740 kB; fontTools (a matplotlib dependency) keeps the glyphs of the
page's characters and whatever the Arabic shaping features reach from them, a few
tens of kB, carried as a ``data:`` URI so that opening the page asks no host for it.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import matplotlib
from fontTools import subset
from fontTools.ttLib import TTFont

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FAMILY = "DejaVu Sans"  # the name the charts' SVG text asks for, so it finds this face
FACES = {"normal": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
# always kept, whatever the page says: digits, Latin letters and punctuation for URLs and times
BASE_TEXT = "".join(chr(c) for c in range(0x20, 0x7F)) + "،؛؟٪–—…«»"


def subset_font(path: Path, text: str) -> bytes:
    """The font at ``path`` with only the glyphs ``text`` needs, shaping features kept."""
    options = subset.Options()
    options.layout_features = ["*"]  # the Arabic forms are reached through GSUB features
    options.name_IDs = ["*"]  # keeps the copyright and licence notice in the font
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]  # FontForge's timestamps: fontTools cannot subset them (and warns)
    font = TTFont(path)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text + BASE_TEXT)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def font_faces(text: str) -> str:
    """CSS ``@font-face`` rules carrying the faces, subset to ``text``, as ``data:`` URIs."""
    rules = []
    for weight, name in FACES.items():
        data = base64.b64encode(subset_font(FONT_DIR / name, text)).decode("ascii")
        rules.append(
            f"@font-face {{ font-family: '{FAMILY}'; font-weight: {weight}; font-style: normal; "
            f"src: url(data:font/ttf;base64,{data}) format('truetype'); }}"
        )
    return "\n".join(rules)
