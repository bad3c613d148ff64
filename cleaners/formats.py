"""Articles as Markdown or plain text (the CLI and the archive export share these)."""

from __future__ import annotations

from itertools import groupby

from .article import Article

__all__ = ["to_markdown", "to_text"]

_META_LABELS = (("published", "Published"), ("source", "Source"), ("author", "Author"),
                ("editor", "Editor"), ("sitename", "Site"), ("url", "URL"),
                ("original_url", "Original URL"))


def _gfm_table(rows: list[str]) -> list[str]:
    """Tab-separated rows as a GFM table: the first row heads it, then the ``---`` row."""
    cells = [[c.strip().replace("|", "\\|") for c in row.split("\t")] for row in rows]
    width = max(len(r) for r in cells)
    lines = ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in cells]
    lines.insert(1, "|" + "---|" * width)
    return lines


def _body(text: str) -> list[str]:
    """Paragraphs separated by blank lines; consecutive table rows as one table."""
    blocks: list[str] = []
    for is_row, group in groupby(text.splitlines(), key=lambda line: "\t" in line):
        lines = list(group)
        blocks.extend(["\n".join(_gfm_table(lines))] if is_row else lines)
    return [block + "\n" for block in blocks]


def to_markdown(article: Article, *, path: str | None = None) -> str:
    """A heading, a metadata list (with the input's ``path`` when given), the body
    paragraphs and tables, the attachments."""
    lines = [f"# {article.title or '(untitled)'}", ""]
    if path is not None:
        lines.append(f"- Path: {path}")
    for name, label in _META_LABELS:
        value = getattr(article, name)
        if value:
            lines.append(f"- {label}: {value}")
    if article.keywords:
        lines.append(f"- Keywords: {', '.join(article.keywords)}")
    lines.append("")
    lines.extend(_body(article.text))
    if article.attachments:
        lines.extend(["## Attachments", ""] + [f"- [{name}]({url})"
                                              for name, url in article.attachments])
    return "\n".join(lines).rstrip() + "\n"


def to_text(article: Article, *, path: str | None = None) -> str:
    """Title, a blank line, the body; after a ``==> path <==`` line (as ``head``
    writes) when ``path`` is given."""
    text = f"{article.title or ''}\n\n{article.text}\n".lstrip("\n")
    return text if path is None else f"==> {path} <==\n{text}"
