"""Which CJK fonts the PDF embeds, and what it prints where none has a glyph.

A PDF shows only the glyphs it carries, so the fonts must be on the machine
that renders it. `FAZHI_PDF_FONT` (Django setting or environment variable)
names the body font: a .ttf, .otf or .ttc file, optionally with "#N" for the
N-th face of a collection. Otherwise the known Debian paths are searched:
fonts-noto-cjk first (OpenType/CFF collections, which fpdf2 embeds as CID
fonts), then fonts-arphic-uming and fonts-wqy-zenhei.

Every font found is also a fallback for the others, so a Traditional or rare
character missing from the 楷体 face is taken from the 宋体 face. A character
that no font covers (many CJK Extension B-G ideographs such as 𠀀) is printed
as 〓, the typesetter's mark for a missing character, and logged, so a gap in
the output is visible instead of silently blank.
"""

from __future__ import annotations

import logging
import os
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

logger = logging.getLogger(__name__)

FONT_SETTING = "FAZHI_PDF_FONT"
PLACEHOLDER = "〓"  # U+3013 GETA MARK
PACKAGES = "fonts-noto-cjk (or fonts-arphic-uming, fonts-wqy-zenhei)"
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")

_NOTO = "/usr/share/fonts/opentype/noto"
_ARPHIC = "/usr/share/fonts/truetype/arphic"
_WQY = "/usr/share/fonts/truetype/wqy"

# role -> (path, preferred face name) in order of preference. The names pick
# the Simplified-Chinese face out of a collection (Noto's .ttc holds JP, KR,
# SC, TC and HK faces; SC comes third).
SEARCH: dict[str, list[tuple[str, str]]] = {
    # body text: 仿宋/宋体 in a printed 公文; a Song (Ming) face is closest
    "song": [
        (f"{_NOTO}/NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
        (f"{_ARPHIC}/uming.ttc", "AR PL UMing CN"),
        (f"{_NOTO}/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
        (f"{_WQY}/wqy-zenhei.ttc", "WenQuanYi Zen Hei"),
        (f"{_WQY}/wqy-microhei.ttc", "WenQuanYi Micro Hei"),
    ],
    # the title: 方正小标宋 is a heavy Song; Noto Serif Black/Bold come closest
    "title": [
        (f"{_NOTO}/NotoSerifCJK-Black.ttc", "Noto Serif CJK SC Black"),
        (f"{_NOTO}/NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC"),
    ],
    # first-level headings (一、) are set in 黑体
    "hei": [
        (f"{_NOTO}/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
        (f"{_WQY}/wqy-zenhei.ttc", "WenQuanYi Zen Hei"),
        (f"{_WQY}/wqy-microhei.ttc", "WenQuanYi Micro Hei"),
    ],
    # second-level headings (（一）) are set in 楷体
    "kai": [(f"{_ARPHIC}/ukai.ttc", "AR PL UKai CN")],
    # only as fallbacks: more Traditional and Extension B coverage
    "extra": [
        (f"{_ARPHIC}/uming.ttc", "AR PL UMing HK"),
        ("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf", ""),
        ("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf", ""),
    ],
}


class FontNotFoundError(RuntimeError):
    """No usable CJK font: the message says what to install or set."""


@dataclass(frozen=True)
class Face:
    path: Path
    index: int = 0  # face number inside a .ttc/.otc collection

    @property
    def key(self) -> str:
        return f"{self.path}#{self.index}"


@dataclass(frozen=True)
class FontSet:
    """The faces a PDF uses; roles without a font of their own use `song`."""

    song: Face
    title: Face | None = None
    hei: Face | None = None
    kai: Face | None = None
    extra: tuple[Face, ...] = field(default=())

    def roles(self) -> dict[str, Face]:
        found = {"song": self.song, "title": self.title, "hei": self.hei}
        found["kai"] = self.kai
        return {role: face or self.song for role, face in found.items()}

    def all_faces(self) -> list[Face]:
        """Each distinct face once, body font first (the fallback order)."""
        out: list[Face] = []
        for face in [*self.roles().values(), *self.extra]:
            if face not in out:
                out.append(face)
        return out


def configured_font() -> str:
    """The FAZHI_PDF_FONT setting, else the environment variable, else ""."""
    value = ""
    try:
        from django.conf import settings

        if settings.configured:
            value = getattr(settings, FONT_SETTING, "") or ""
    except ImportError:  # the renderers also run outside Django (bench, scripts)
        pass
    return value or os.environ.get(FONT_SETTING, "")


def parse_font_spec(spec: str) -> Face:
    """'/path/font.ttc#2' -> Face; the file must exist and be a font file."""
    path_text, _, index_text = spec.strip().partition("#")
    path = Path(path_text).expanduser()
    if path.suffix.lower() not in FONT_SUFFIXES:
        raise FontNotFoundError(
            f"{FONT_SETTING}={spec!r} is not a .ttf, .otf or .ttc font file."
        )
    if not path.is_file():
        raise FontNotFoundError(
            f"{FONT_SETTING}={spec!r}: no such file. Point it at an installed "
            f"CJK font, or unset it and install the Debian package {PACKAGES}."
        )
    if index_text:
        if not index_text.isdigit():
            raise FontNotFoundError(f"{FONT_SETTING}={spec!r}: '#' needs a number")
        return Face(path, int(index_text))
    return Face(path, _face_index(str(path), ""))


def find_fonts(spec: str | None = None) -> FontSet:
    """The fonts for this machine: `spec` (or FAZHI_PDF_FONT) wins for the body."""
    spec = configured_font() if spec is None else spec
    found = {role: _first_installed(cands) for role, cands in SEARCH.items()}
    song = parse_font_spec(spec) if spec else found["song"]
    if song is None:
        looked = ", ".join(path for path, _ in SEARCH["song"])
        raise FontNotFoundError(
            "PDF export needs a CJK font and found none. Install the Debian "
            f"package {PACKAGES}, or set {FONT_SETTING} to a .ttf/.otf/.ttc "
            f"file. Looked for: {looked}"
        )
    extra = tuple(
        face
        for cand in SEARCH["extra"]
        if (face := _first_installed([cand])) is not None
    )
    return FontSet(song, found["title"], found["hei"], found["kai"], extra)


def _first_installed(candidates: list[tuple[str, str]]) -> Face | None:
    for path, name in candidates:
        if Path(path).is_file():
            return Face(Path(path), _face_index(path, name))
    return None


@lru_cache(maxsize=64)
def _face_index(path: str, preferred: str) -> int:
    """The collection face whose full or family name is `preferred`, else 0."""
    if not preferred or Path(path).suffix.lower() not in (".ttc", ".otc"):
        return 0
    from fontTools.ttLib import TTCollection

    with TTCollection(path, lazy=True) as coll:
        for i, font in enumerate(coll.fonts):
            names = {font["name"].getDebugName(n) for n in (1, 4, 16)}
            if preferred in names:
                return i
    return 0


@lru_cache(maxsize=16)
def coverage(face: Face) -> frozenset[int]:
    """Code points the face has a glyph for (read once per process)."""
    from fontTools.ttLib import TTFont

    with TTFont(str(face.path), fontNumber=face.index, lazy=True) as font:
        return frozenset(font.getBestCmap())


class GlyphGuard:
    """Replaces characters no embedded font can draw, logging each once."""

    def __init__(self, faces: list[Face]):
        self.covered: frozenset[int] = frozenset().union(*map(coverage, faces))
        self.placeholder = PLACEHOLDER if ord(PLACEHOLDER) in self.covered else "?"
        self.missing: set[str] = set()

    def clean(self, text: str) -> str:
        if all(ord(ch) in self.covered or ch in "\n\t" for ch in text):
            return text  # the common case: one pass, no copy
        out = []
        for ch in text:
            if ord(ch) in self.covered or ch in "\n\t":
                out.append(ch)
            elif unicodedata.category(ch) in ("Mn", "Me", "Cf", "Cc"):
                continue  # variation selectors, joiners: invisible anyway
            else:
                if ch not in self.missing:
                    self.missing.add(ch)
                    logger.warning(
                        "PDF fonts lack U+%04X %s; printed as %s",
                        ord(ch),
                        ch,
                        self.placeholder,
                    )
                out.append(self.placeholder)
        return "".join(out)
