"""The typefaces of the work report (GB/T 9704 habits): title in 小标宋, body in 仿宋, first-level
headings in 黑体, second-level in 楷体. An office that holds the usual fonts puts their files in
``settings.REPORT_FONT_DIR``; each role otherwise falls back to fonts the project's setup installs
from Debian (fonts-noto-cjk, fonts-lxgw-wenkai)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings


@dataclass(frozen=True)
class Face:
    role: str
    family: str  # the name the report's CSS uses for this role
    files: tuple[str, ...]  # file names (lower case, no extension) an office's font folder may hold
    installed: tuple[str, ...]  # family names tried through fontconfig (office fonts installed system-wide)
    fallback: tuple[str, ...]  # Debian fonts the setup installs
    word: str  # the family name written into the Word file (what Word/WPS on an office PC has)


FACES = (
    Face(
        "title",
        "ReportTitle",
        ("方正小标宋简体", "方正小标宋_gbk", "fzxbsjw", "fzxbsk", "fzxiaobiaosong-b05s", "小标宋"),
        ("方正小标宋简体", "FZXiaoBiaoSong-B05S"),
        ("Noto Serif CJK SC",),
        "方正小标宋简体",
    ),
    Face(
        "body",
        "ReportBody",
        ("仿宋_gb2312", "fangsong_gb2312", "仿宋", "simfang", "fangsong"),
        ("仿宋_GB2312", "FangSong_GB2312", "FangSong", "仿宋"),
        ("Noto Serif CJK SC",),
        "仿宋_GB2312",
    ),
    Face(
        "heading",
        "ReportHei",
        ("黑体", "simhei"),
        ("SimHei", "黑体"),
        ("Noto Sans CJK SC",),
        "黑体",
    ),
    Face(
        "kai",
        "ReportKai",
        ("楷体_gb2312", "kaiti_gb2312", "楷体", "simkai", "kaiti"),
        ("楷体_GB2312", "KaiTi_GB2312", "KaiTi", "楷体"),
        ("LXGW WenKai", "AR PL UKai CN", "Noto Serif CJK SC"),
        "楷体_GB2312",
    ),
)
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")


@lru_cache(maxsize=8)
def _scan(folder: str) -> dict[str, Path]:
    """{role: font file} found in the folder (matched by file name, case-insensitive)."""
    if not folder:
        return {}
    root = Path(folder)
    if not root.is_dir():
        return {}
    files = {p.stem.lower(): p for p in root.iterdir() if p.suffix.lower() in FONT_SUFFIXES}
    found = {}
    for face in FACES:
        for name in face.files:
            if name in files:
                found[face.role] = files[name]
                break
    return found


def office_files() -> dict[str, Path]:
    return _scan(str(getattr(settings, "REPORT_FONT_DIR", "") or ""))


def _quote(name: str) -> str:
    return '"' + name.replace('"', "") + '"'


def font_css() -> str:
    """@font-face rules for the office's font files and one CSS variable-free stack per role:
    ``.f-title``, ``.f-body``, ``.f-hei``, ``.f-kai`` are not used; the report template reads
    :func:`stacks` instead. Returned CSS is safe to place in a <style> block."""
    rules = []
    for role, path in office_files().items():
        face = next(f for f in FACES if f.role == role)
        rules.append(
            f"@font-face {{ font-family: {_quote(face.family)}; src: url({_quote(path.as_uri())}); }}"
        )
    return "\n".join(rules)


def stacks() -> dict[str, str]:
    """{role: CSS font-family list}: the office's file (if any), the office font installed on the
    machine, then the Debian fallback."""
    files = office_files()
    out = {}
    for face in FACES:
        names = ([face.family] if face.role in files else []) + list(face.installed) + list(face.fallback)
        out[face.role] = ", ".join(_quote(n) for n in names) + (
            ", sans-serif" if face.role == "heading" else ", serif"
        )
    return out


def word_names() -> dict[str, str]:
    return {face.role: face.word for face in FACES}
