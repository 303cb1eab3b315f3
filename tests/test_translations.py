"""The English catalog: every string translated, placeholders intact, and pages really in English.

Source strings are Simplified Chinese (msgids); English is the translation in
locale/en/LC_MESSAGES/django.po. The .po file is parsed with the standard library only."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PO_PATH = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_CJK = re.compile(r"[\u3400-\u9fff]")
_PY_PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[-#0 +]*\d*(?:\.\d+)?[sdifr]")


def _unquote(line: str) -> str:
    body = line.strip()
    assert body.startswith('"') and body.endswith('"'), f"malformed PO string line: {line!r}"
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body[1:-1])


def parse_po(path: Path) -> list[dict]:
    """Entries as dicts: msgctxt, msgid, msgid_plural, msgstr (dict index -> text), flags, line.

    Obsolete entries (``#~``) are skipped; the header (empty msgid) is included."""
    entries: list[dict] = []
    current: dict | None = None
    field: str | None = None

    def start(lineno: int) -> dict:
        return {
            "msgctxt": None,
            "msgid": None,
            "msgid_plural": None,
            "msgstr": {},
            "flags": set(),
            "line": lineno,
        }

    def finish():
        if current is not None and current["msgid"] is not None:
            entries.append(current)

    pending_flags: set[str] = set()
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgctxt" or (keyword == "msgid" and field != "msgctxt"):
            finish()
            current = start(lineno)
            current["flags"] = pending_flags
            pending_flags = set()
        if keyword == "msgctxt":
            field, current["msgctxt"] = "msgctxt", _unquote(rest)
        elif keyword == "msgid":
            field, current["msgid"] = "msgid", _unquote(rest)
        elif keyword == "msgid_plural":
            field, current["msgid_plural"] = "msgid_plural", _unquote(rest)
        elif keyword == "msgstr":
            field = "msgstr:0"
            current["msgstr"][0] = _unquote(rest)
        elif keyword.startswith("msgstr["):
            index = int(keyword[len("msgstr[") : -1])
            field = f"msgstr:{index}"
            current["msgstr"][index] = _unquote(rest)
        elif line.startswith('"'):
            assert current is not None and field is not None, f"{path}:{lineno}: continuation without a field"
            if field.startswith("msgstr:"):
                index = int(field.split(":")[1])
                current["msgstr"][index] += _unquote(line)
            else:
                current[field] += _unquote(line)
        else:
            raise AssertionError(f"{path}:{lineno}: unexpected line {raw!r}")
    finish()
    return entries


def _messages() -> list[dict]:
    return [e for e in parse_po(PO_PATH) if e["msgid"] != ""]


def _describe(entry: dict) -> str:
    return f"line {entry['line']}: {entry['msgid'][:60]!r}"


def test_catalog_header_is_english_utf8():
    header = next(e for e in parse_po(PO_PATH) if e["msgid"] == "")
    text = header["msgstr"][0]
    assert "Language: en\n" in text
    assert "charset=UTF-8" in text
    assert "nplurals=2" in text


def test_catalog_is_not_trivially_small():
    assert len(_messages()) > 500


def test_every_entry_translated_and_not_fuzzy():
    problems = []
    for entry in _messages():
        if "fuzzy" in entry["flags"]:
            problems.append(f"fuzzy: {_describe(entry)}")
        expected = {0, 1} if entry["msgid_plural"] is not None else {0}
        if set(entry["msgstr"]) != expected:
            problems.append(f"wrong msgstr forms {sorted(entry['msgstr'])}: {_describe(entry)}")
        for index, text in entry["msgstr"].items():
            if not text.strip():
                problems.append(f"empty msgstr[{index}]: {_describe(entry)}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:50])


_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def test_translations_are_english():
    """A msgstr copied from the Chinese msgid is a missed translation. Chinese inside quotes is a
    literal the user types or sees in the data (“休”, “是”, “第1选区”) and is allowed."""
    leftovers = [
        _describe(e)
        for e in _messages()
        if any(_CJK.search(_QUOTED.sub("", text)) for text in e["msgstr"].values())
    ]
    assert not leftovers, "Chinese text in msgstr:\n" + "\n".join(leftovers[:50])


def test_placeholders_and_edge_whitespace_preserved():
    problems = []
    for entry in _messages():
        sources = [entry["msgid"]] + ([entry["msgid_plural"]] if entry["msgid_plural"] is not None else [])
        for index, text in entry["msgstr"].items():
            source = sources[min(index, len(sources) - 1)]
            want = sorted(_PY_PLACEHOLDER.findall(source)) + sorted(
                re.findall(r"\{\{.*?\}\}|\{\w*\}", source)
            )
            got = sorted(_PY_PLACEHOLDER.findall(text)) + sorted(re.findall(r"\{\{.*?\}\}|\{\w*\}", text))
            # A singular form may leave out the count (e.g. "one message"); the plural must keep all.
            if want != got and not (
                index == 0 and entry["msgid_plural"] is not None and set(got) <= set(want)
            ):
                problems.append(f"placeholders {want} != {got}: {_describe(entry)}")
            for edge in ("\n", " "):
                if source.startswith(edge) and not text.startswith(edge):
                    problems.append(f"leading {edge!r} lost: {_describe(entry)}")
                if source.endswith(edge) and not text.endswith(edge):
                    problems.append(f"trailing {edge!r} lost: {_describe(entry)}")
            if source.count("<") != text.count("<"):
                problems.append(f"HTML tags differ: {_describe(entry)}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:50])


# --- rendered pages -----------------------------------------------------------------------------


@pytest.fixture
def english_catalog(settings):
    """Compile the catalog if the .mo is missing or older than the .po (setup.sh normally does it),
    then make Django reload its translations."""
    if not MO_PATH.exists() or MO_PATH.stat().st_mtime < PO_PATH.stat().st_mtime:
        from django.core.management import call_command

        call_command("compilemessages", locale=["en"], ignore_patterns=[".venv", "node_modules"], verbosity=0)
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)  # setting_changed resets the translation caches


def _english(client):
    client.cookies["django_language"] = "en"
    return client


# Navigation labels a staff user sees on every page, in Chinese and English.
STAFF_MENU = {
    "工作台": "Workbench",
    "操作日志": "Audit log",
    "API 密钥": "API keys",
    "县级规则设置": "County rule settings",
    "退出登录": "Log out",
    "修改密码": "Change password",
}


def test_login_page_in_english(client, english_catalog):
    response = _english(client).get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert response.headers["Content-Language"] == "en"
    for english in ("Log in", "Username or mobile number", "Presidium Platform"):
        assert english in html
    for chinese in ("登录", "用户名或手机号", "代表请使用手机号登录"):
        assert chinese not in html


def test_login_page_stays_chinese_without_cookie(client, english_catalog):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "用户名或手机号" in html
    assert "Username or mobile number" not in html


@pytest.mark.parametrize(
    "url, english, chinese",
    [
        # The account pages' own strings are new (locale/en/pending/i12a.po until merged).
        ("/logins/", ["Reset password"], []),
        (
            "/core/rules/",
            ["Sessions per year", "Only county congress staff can change the rules"],
            ["每年人代会次数", "只有县人大工作人员可以修改规则"],
        ),
    ],
)
def test_staff_pages_in_english(cast, english_catalog, url, english, chinese):
    response = _english(cast.client_for(cast.staff_a)).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for text in [*STAFF_MENU.values(), *english]:
        assert text in html, f"{text!r} missing from {url}"
    for text in [*STAFF_MENU, *chinese]:
        assert text not in html, f"{text!r} still on {url}"
