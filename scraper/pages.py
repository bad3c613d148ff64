"""The HTML skeleton the explain pages and the crawl report share.

Pages are self-contained (inline CSS, no external assets) and carry a
Content-Security-Policy that runs no script except, where a page has one, its own
inline script by hash. Everything taken from a crawled page goes through
``esc``: text only, never markup or attributes, so a hostile page stays inert
even before the policy applies.
"""

from __future__ import annotations

import base64
import hashlib
import html
import zlib
from collections.abc import Collection

__all__ = ["FAMILY_COLOURS", "esc", "family_classes", "family_colour", "family_of", "page"]

#: One colour per rule family (the part of a rule name before the first dot).
FAMILY_COLOURS = {
    "share": "#d9480f", "nav": "#1971c2", "toolbar": "#7048e8", "list": "#2f9e44",
    "meta": "#a0522d", "footer": "#495057", "template": "#c2255c", "source": "#0c8599",
    "comment": "#9c36b5", "notice": "#f08c00", "prune": "#868e96",
}
_CSS = """
body{font:15px/1.6 system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;color:#212529}
header{background:#f1f3f5;padding:.8em 1.2em;border-bottom:1px solid #dee2e6}
main{padding:1em 1.2em} h1{font-size:1.3em;margin:.2em 0} h2{font-size:1.1em}
table{border-collapse:collapse} td,th{border:1px solid #dee2e6;padding:.2em .5em;text-align:left;
vertical-align:top} .cols{display:grid;grid-template-columns:1fr 1fr;gap:1.5em}
.blk{border-left:4px solid transparent;padding:.15em .5em;margin:.1em 0}
.blk.body{background:#fff9db;border-left-color:#fab005} .blk.dropped{color:#868e96}
.blk.removed s{text-decoration-thickness:2px} .rule{font:12px monospace;color:#fff;
border-radius:3px;padding:0 .4em;margin-right:.5em} .legend li{display:inline-block;margin-right:1em}
.swatch{display:inline-block;width:1em;height:1em;vertical-align:middle;margin-right:.3em}
.diff .add{background:#d3f9d8} .diff .del{background:#ffe3e3} .diff{white-space:pre-wrap;font:13px monospace}
.muted{color:#868e96} mark{background:#ffec99}
"""


def esc(value: object) -> str:
    """Text for HTML: every ``<``, ``&`` and quote escaped (``None`` shows as a dash)."""
    return "—" if value is None else html.escape(str(value), quote=True)


def family_of(rule: str) -> str:
    return rule.split(".", 1)[0]


def family_colour(family: str) -> str:
    """The family's colour; an unknown family gets a stable one from its name."""
    if family in FAMILY_COLOURS:
        return FAMILY_COLOURS[family]
    hue = zlib.crc32(family.encode()) % 360
    return f"hsl({hue}, 60%, 40%)"


def _family_css(families: set[str]) -> str:
    return "".join(
        f".fam-{i}{{border-left-color:{family_colour(f)}!important}}"
        f".fam-{i} s{{text-decoration-color:{family_colour(f)}}}"
        f".rule.fam-{i},.fam-{i} .swatch{{background:{family_colour(f)}}}"
        for i, f in enumerate(sorted(families)))


def family_classes(families: set[str]) -> dict[str, str]:
    """The CSS class of each family (by position: family names are page data)."""
    return {f: f"fam-{i}" for i, f in enumerate(sorted(families))}


def page(title: str, body: str, *, families: Collection[str] = (), script: str = "") -> str:
    """A whole document; ``script`` (already safe JavaScript) is the only code it may run."""
    scripts = "'none'"
    if script:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        scripts = f"'sha256-{digest}'"
    policy = (f"default-src 'none'; style-src 'unsafe-inline'; script-src {scripts}; "
              "img-src data:; form-action 'none'; base-uri 'none'")
    return (f"<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">"
            f"<meta name=\"viewport\" content=\"width=device-width\"><title>{esc(title)}</title>"
            f"<style>{_CSS}{_family_css(set(families))}</style></head>\n<body>{body}"
            + (f"<script>{script}</script>" if script else "") + "</body></html>\n")
