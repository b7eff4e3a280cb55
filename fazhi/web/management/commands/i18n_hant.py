"""`fazhi i18n_hant`: regenerate the Traditional Chinese (zh_Hant) catalogue.

1. `makemessages -l zh_Hant` over the fazhi package (needs GNU gettext);
2. every entry without a translation, or marked fuzzy because its source
   changed, gets the source text converted by OpenCC `s2tw`: characters only
   (Taiwan's standard variants: 為, 眾, 核),
   mainland vocabulary kept. The Traditional view serves mainland readers
   who prefer the script (and Hong Kong, Macao and Taiwan users of a mainland
   government's site), and names of laws must not be reworded: s2twp turned
   《政府信息公开条例》 into 《政府資訊公開條例》, a title that does not exist;
3. `REVIEWED` then applies the wording a reviewer chose over OpenCC's, and
   `CORRECTIONS` guards against software-vocabulary substitutions that are
   wrong in legal text (规范性文件 stays 規範性文件, never 規範性檔案);
4. `compilemessages` writes the .mo, committed so running the app needs no
   gettext.

Translations already present and not fuzzy are kept: a reviewer's edit to the
.po survives the next run. `--check` fails (exit 1) when the committed
catalogue lacks a translation, for CI.
"""

import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from fazhi.kernel.textzh.script import fix_hant

LOCALE = "zh_Hant"

# Reviewed wording that OpenCC's phrase table does not produce.
REVIEWED: dict[str, str] = {
    "工作台": "工作臺",
}

# Taiwan-IT substitutions that are wrong in administrative and legal text;
# s2t does not make them, but a reviewer pasting s2twp output might.
CORRECTIONS: dict[str, str] = {
    "型別": "類型",  # 类型 (type of case/item), not a programming "type"
    "稽核": "審核",  # 法制审核 / 合法性审核 are reviews, not audits
    "規範性檔案": "規範性文件",  # a legal term of art
    "程式碼": "代碼",  # 机构代码 / 统一社会信用代码 are codes, not source code
    "許可權": "權限",  # permission
    "透過": "通過",  # 校验通过: passed
    "釋出": "發布",  # 即将发布: to be published
    "賬號": "帳號",
}

_KEYWORD = re.compile(
    r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")\s*$"
)
_CONTINUATION = re.compile(r"^(\".*\")\s*$")


class Entry:
    """One PO entry: its comment lines and its fields, strings kept escaped."""

    def __init__(self) -> None:
        self.comments: list[str] = []
        self.fields: list[tuple[str, list[str]]] = []

    def get(self, key: str) -> list[str] | None:
        for k, v in self.fields:
            if k == key:
                return v
        return None

    def text(self, key: str) -> str:
        return "".join(s[1:-1] for s in self.get(key) or [])

    @property
    def fuzzy(self) -> bool:
        return any(c.startswith("#,") and "fuzzy" in c for c in self.comments)

    def unfuzz(self) -> None:
        out = []
        for c in self.comments:
            if c.startswith("#,"):
                flags = [f.strip() for f in c[2:].split(",") if f.strip() != "fuzzy"]
                if flags:
                    out.append("#, " + ", ".join(flags))
            elif c.startswith("#|"):
                continue  # the previous msgid of a fuzzy match is moot now
            else:
                out.append(c)
        self.comments = out

    def msgstr_keys(self) -> list[str]:
        return [k for k, _v in self.fields if k.startswith("msgstr")]

    def set_msgstr(self, values: dict[str, list[str]]) -> None:
        self.fields = [(k, v) for k, v in self.fields if not k.startswith("msgstr")]
        self.fields.extend(values.items())

    def lines(self) -> list[str]:
        out = list(self.comments)
        for key, strings in self.fields:
            out.append(f"{key} {strings[0]}")
            out.extend(strings[1:])
        return out


def parse_po(text: str) -> list[Entry]:
    entries: list[Entry] = []
    current = Entry()
    last: list[str] | None = None
    for raw in text.splitlines():
        line = raw.rstrip("\n")
        if not line.strip():
            if current.fields or current.comments:
                entries.append(current)
            current, last = Entry(), None
            continue
        if line.startswith("#"):
            current.comments.append(line)
            continue
        m = _KEYWORD.match(line)
        if m:
            last = [m.group(2)]
            current.fields.append((m.group(1), last))
            continue
        m = _CONTINUATION.match(line)
        if m and last is not None:
            last.append(m.group(1))
            continue
        raise CommandError(f"cannot parse PO line: {line!r}")
    if current.fields or current.comments:
        entries.append(current)
    return entries


def render_po(entries: list[Entry]) -> str:
    return "\n\n".join("\n".join(e.lines()) for e in entries) + "\n"


def _converter() -> Any:
    import opencc

    # s2tw: characters only, in the variants readers expect (為 公眾 審核,
    # not s2t's 爲 公衆 審覈); words are never replaced (that is s2twp).
    return opencc.OpenCC("s2tw")


def to_hant(escaped: str, cc: Any) -> str:
    """Convert an escaped PO string body; escapes are ASCII and pass unchanged."""
    if escaped in REVIEWED:
        return REVIEWED[escaped]
    out = cc.convert(escaped)
    for simplified, reviewed in REVIEWED.items():
        out = out.replace(cc.convert(simplified), reviewed)
    for wrong, right in CORRECTIONS.items():
        out = out.replace(wrong, right)
    return fix_hant(out)


def _header(entry: Entry) -> None:
    body = entry.text("msgstr").replace("\\n", "\n")
    fields = dict(line.split(": ", 1) for line in body.splitlines() if ": " in line)
    fields["Language"] = LOCALE
    fields["Plural-Forms"] = "nplurals=1; plural=0;"
    fields["Content-Type"] = "text/plain; charset=UTF-8"
    fields.setdefault("Content-Transfer-Encoding", "8bit")
    fields.pop("Last-Translator", None)
    fields.pop("Language-Team", None)
    fields["Project-Id-Version"] = "fazhi"
    lines = [f"{k}: {v}\\n" for k, v in fields.items()]
    entry.set_msgstr({"msgstr": ['""'] + [f'"{line}"' for line in lines]})
    entry.unfuzz()
    entry.comments = [c for c in entry.comments if not c.startswith("# SOME")]


def fill(entries: list[Entry], *, refresh: bool = False) -> int:
    """Fill empty or fuzzy translations; returns how many were (re)filled."""
    cc = _converter()
    filled = 0
    for e in entries:
        if e.get("msgid") is None:
            continue
        if e.text("msgid") == "" and e.get("msgctxt") is None:
            _header(e)
            continue
        if e.comments and all(c.startswith("#~") for c in e.comments):
            continue
        current = [e.text(k) for k in e.msgstr_keys()]
        if not refresh and all(current) and not e.fuzzy:
            continue
        source = e.text("msgid")
        e.set_msgstr(
            {
                "msgstr[0]" if e.get("msgid_plural") else "msgstr": [
                    f'"{to_hant(source, cc)}"'
                ]
            }
        )
        e.unfuzz()
        filled += 1
    return filled


def missing(entries: list[Entry]) -> list[str]:
    return [
        e.text("msgid")
        for e in entries
        if e.get("msgid") is not None
        and e.text("msgid")
        and (e.fuzzy or not all(e.text(k) for k in e.msgstr_keys()))
    ]


class Command(BaseCommand):
    help = "Regenerate and compile the zh_Hant catalogue (OpenCC s2tw + reviewed)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the committed catalogue is complete; change nothing.",
        )
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="Re-convert every entry, discarding edits made in the .po.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        locale_root = Path(settings.LOCALE_PATHS[0])
        po_path = locale_root / LOCALE / "LC_MESSAGES" / "django.po"
        if options["check"]:
            if not po_path.exists():
                raise CommandError(f"{po_path} does not exist")
            gaps = missing(parse_po(po_path.read_text(encoding="utf-8")))
            if gaps:
                raise CommandError(f"{len(gaps)} untranslated: " + "、".join(gaps[:10]))
            self.stdout.write("zh_Hant catalogue complete.")
            return
        locale_root.mkdir(parents=True, exist_ok=True)
        package_dir = Path(settings.BASE_DIR)
        import os

        cwd = os.getcwd()
        try:
            os.chdir(package_dir)
            call_command(
                "makemessages",
                locale=[LOCALE],
                ignore_patterns=["tests/*", "*/tests/*", "static/*", "*/static/*"],
                no_obsolete=True,
                add_location="file",
                verbosity=0,
            )
            entries = parse_po(po_path.read_text(encoding="utf-8"))
            n = fill(entries, refresh=options["refresh"])
            po_path.write_text(render_po(entries), encoding="utf-8")
            call_command("compilemessages", locale=[LOCALE], verbosity=0)
        finally:
            os.chdir(cwd)
        self.stdout.write(
            f"zh_Hant: {len(entries) - 1} messages, {n} converted with OpenCC s2tw; "
            f"compiled {po_path.with_suffix('.mo').relative_to(package_dir.parent)}"
        )
