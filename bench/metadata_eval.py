"""Metadata accuracy on hand-made gold: title, published, source, author, editor.

The gold (``fixtures/gold/metadata.json``) was written by reading each Chinese corpus
page and each fixture, keyed by its manifest path (``raw/gne/tests/163/1.html``) or its
fixture path (``fixtures/pages/x.html``). It holds values only, never page text.

A check is right when, after whitespace normalisation, the value equals the gold; an
empty gold value is right only when nothing is found, except for the author, which is
checked only where the page names one (most pages name none, and "none" is not what a
byline reader is for). ``published`` is compared to the minute when the gold shows a
time, by day otherwise; the table also gives a by-day column, the only fair one for
extractors that return days. Beside clean_html: clean_text on a full-page dump of the
same page, trafilatura's ``bare_extraction`` metadata and GNE (when installed).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from bench.corpus import corpus_dir
from bench.eval import full_page_dump
from cleaners import clean_html, clean_text
from cleaners.decode import decode_bytes

__all__ = ["FIELDS", "GOLD_PATH", "GoldEntry", "Scores", "field_right", "foreign_dates",
           "gold_entries", "main", "ours", "ours_on_dump", "score"]

ROOT = Path(__file__).resolve().parent.parent
GOLD_PATH = ROOT / "fixtures" / "gold" / "metadata.json"
FIELDS = ("title", "published", "source", "author", "editor")
#: The by-day comparison of ``published``, reported beside the to-the-minute one.
DAY = "published_day"
_SPACES = re.compile(r"\s+")
_STAMP = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?")

Found = dict[str, str | None]


@dataclass(frozen=True)
class GoldEntry:
    """One gold page: where it is, its URL and the values a reader wrote down."""

    key: str
    path: Path
    url: str | None
    values: dict[str, str]

    @property
    def is_dump(self) -> bool:
        return self.path.suffix == ".txt"


def _norm(value: object) -> str:
    return _SPACES.sub(" ", str(value or "")).strip()


def _stamp(value: object) -> tuple[str, str | None] | None:
    m = _STAMP.match(_norm(value))
    return (m.group(1), m.group(2)) if m else None


def field_right(field: str, gold: str, got: object) -> bool | None:
    """Whether ``got`` matches the gold value; ``None`` when the field is not checked."""
    gold, got = _norm(gold), _norm(got)
    if field == "author" and not gold:
        return None
    if field in ("published", DAY):
        if not gold:
            return not got
        want, have = _stamp(gold), _stamp(got)
        if want is None or have is None:
            return False
        if field == DAY or want[1] is None:
            return want[0] == have[0]
        return want == have
    return gold == got


def _manifest_urls(root: Path) -> dict[str, str | None]:
    with (root / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        return {row["file"]: row.get("url") or None for row in csv.DictReader(fh)}


def gold_entries(gold_path: Path = GOLD_PATH) -> list[GoldEntry]:
    """The gold pages that exist here (corpus pages need ``../shared/corpus``)."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    root = corpus_dir()
    urls = _manifest_urls(root) if root is not None else {}
    entries = []
    for key, values in sorted(gold.items()):
        if key.startswith("fixtures/"):
            path = ROOT / key
            expected = path.with_suffix(".expected.json")
            url = (json.loads(expected.read_text(encoding="utf-8")).get("input_url")
                   if expected.is_file() else None)
        elif root is not None:
            path, url = root / key, urls.get(key)
        else:
            continue
        if path.is_file():
            entries.append(GoldEntry(key, path, url, {f: values.get(f, "") for f in FIELDS}))
    return entries


def ours(entry: GoldEntry) -> Found:
    """clean_html on a page, clean_text on a dump: the fields to score."""
    if entry.is_dump:
        article = clean_text(entry.path.read_text(encoding="utf-8"), entry.url)
    else:
        article = clean_html(entry.path.read_bytes(), entry.url)
    return {f: getattr(article, f) for f in FIELDS}


def _html(entry: GoldEntry) -> str:
    return decode_bytes(entry.path.read_bytes(), source=str(entry.path))[0]


def ours_on_dump(entry: GoldEntry) -> Found | None:
    """clean_text on a full-page dump of an HTML gold page (``None`` for dumps)."""
    if entry.is_dump:
        return None
    article = clean_text(full_page_dump(_html(entry)), entry.url)
    return {f: getattr(article, f) for f in FIELDS}


def _trafilatura(entry: GoldEntry) -> Found | None:
    if entry.is_dump:
        return None
    found = trafilatura.bare_extraction(_html(entry), url=entry.url, with_metadata=True)
    doc = found.as_dict() if found is not None else {}
    return {"title": doc.get("title"), "published": doc.get("date"),
            "author": doc.get("author"), "source": None, "editor": None}


def _gne_extractor() -> Callable[[GoldEntry], Found | None] | None:
    try:
        from gne import GeneralNewsExtractor
    except ImportError:
        return None
    extractor = GeneralNewsExtractor()

    def run(entry: GoldEntry) -> Found | None:
        if entry.is_dump:
            return None
        try:
            got = extractor.extract(_html(entry))
        except Exception:  # GNE raises bare errors on pages it cannot parse: none found
            got = {}
        return {"title": got.get("title"), "published": got.get("publish_time"),
                "author": got.get("author"), "source": None, "editor": None}
    return run


@dataclass
class Scores:
    """Right / checked counts per field for one extractor, and the misses."""

    right: dict[str, int]
    checked: dict[str, int]
    misses: list[tuple[str, str, str, object]]
    #: Pages whose gold names no author but that got one (not a check, shown apart).
    extra_authors: list[tuple[str, object]]

    @classmethod
    def empty(cls) -> Scores:
        return cls({}, {}, [], [])

    def add(self, entry: GoldEntry, found: Found) -> None:
        for field in (*FIELDS, DAY):
            gold = entry.values["published" if field == DAY else field]
            got = found.get("published" if field == DAY else field)
            verdict = field_right(field, gold, got)
            if verdict is None:
                if _norm(got):
                    self.extra_authors.append((entry.key, got))
                continue
            self.checked[field] = self.checked.get(field, 0) + 1
            self.right[field] = self.right.get(field, 0) + int(verdict)
            if not verdict and field != DAY:
                self.misses.append((entry.key, field, gold, got))

    def share(self, field: str | None = None) -> float:
        """Accuracy of one field, or of all checks (the by-day column excluded)."""
        names = (field,) if field else FIELDS
        checked = sum(self.checked.get(f, 0) for f in names)
        return sum(self.right.get(f, 0) for f in names) / checked if checked else 0.0

    def cell(self, field: str) -> str:
        return f"{self.right.get(field, 0)}/{self.checked.get(field, 0)}"


def score(entries: list[GoldEntry],
          extractor: Callable[[GoldEntry], Found | None] = ours) -> Scores:
    """Scores of one extractor over ``entries`` (pages it cannot read are skipped)."""
    scores = Scores.empty()
    for entry in entries:
        found = extractor(entry)
        if found is not None:
            scores.add(entry, found)
    return scores


def _report(results: dict[str, Scores], out=sys.stdout) -> None:
    columns = (*FIELDS, DAY)
    out.write(f"{'extractor':16}" + "".join(f"{c:>15}" for c in columns)
              + f"{'all':>8}{'author, gold none':>19}\n")
    for name, scores in results.items():
        cells = "".join(f"{scores.cell(c):>9} {scores.share(c):4.0%}" for c in columns)
        out.write(f"{name:16}{cells}{scores.share():8.1%}{len(scores.extra_authors):>19}\n")


def foreign_dates(out=sys.stdout) -> None:
    """Dates on the non-Chinese corpus pages (aeb, magic-html-other), whose gold has no
    date: how often each extractor finds one, and how often it names trafilatura's day.
    An agreement count, not an accuracy: neither side is gold."""
    root = corpus_dir()
    if root is None:
        return
    with (root / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["source"] in ("aeb", "magic-html-other")]
    ours_found = peer_found = same_day = 0
    for row in rows:
        raw = (root / row["file"]).read_bytes()
        html = decode_bytes(raw, source=row["file"])[0]
        ours = clean_html(raw, row["url"] or None).published
        found = trafilatura.bare_extraction(html, url=row["url"] or None, with_metadata=True)
        peer = found.as_dict().get("date") if found is not None else None
        ours_found += bool(ours)
        peer_found += bool(peer)
        same_day += bool(ours and peer and str(ours)[:10] == str(peer)[:10])
    out.write(f"\nNon-Chinese pages ({len(rows)}, no date gold): date found by clean_html "
              f"{ours_found}, by trafilatura {peer_found}; same day as trafilatura {same_day}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD_PATH, help="gold JSON file")
    parser.add_argument("--misses", action="store_true", help="list every wrong field of ours")
    parser.add_argument("--foreign", action="store_true",
                        help="also compare dates with trafilatura's on the non-Chinese pages")
    args = parser.parse_args(argv)
    entries = gold_entries(args.gold)
    if not entries:
        print(f"Error: no gold pages found from {args.gold}", file=sys.stderr)
        return 2
    print(f"\nMetadata on {len(entries)} gold pages ({args.gold.relative_to(ROOT)})")
    results = {"clean_html/text": score(entries)}
    results["clean_text(dump)"] = score(entries, ours_on_dump)
    results["trafilatura"] = score(entries, _trafilatura)
    gne = _gne_extractor()
    if gne is None:
        print("GNE is not installed (pip install '.[bench]'): its row is skipped")
    else:
        results["gne"] = score(entries, gne)
    _report(results)
    if args.misses:
        for key, field, gold, got in results["clean_html/text"].misses:
            print(f"  {field:9} {key}: gold {gold!r} got {got!r}")
        for key, got in results["clean_html/text"].extra_authors:
            print(f"  author    {key}: gold '' got {got!r} (not counted)")
    if args.foreign:
        foreign_dates()
    return 0


if __name__ == "__main__":
    sys.exit(main())
