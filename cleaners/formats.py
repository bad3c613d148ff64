"""Articles as Markdown or plain text (the CLI and the archive export share these)."""

from __future__ import annotations

from .article import Article

__all__ = ["to_markdown", "to_text"]

_META_LABELS = (("published", "Published"), ("source", "Source"), ("author", "Author"),
                ("editor", "Editor"), ("sitename", "Site"), ("url", "URL"),
                ("original_url", "Original URL"))


def to_markdown(article: Article, *, path: str | None = None) -> str:
    """A heading, a metadata list (with the input's ``path`` when given) and the
    body paragraphs."""
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
    lines.extend(p + "\n" for p in article.text.splitlines())
    return "\n".join(lines).rstrip() + "\n"


def to_text(article: Article, *, path: str | None = None) -> str:
    """Title, a blank line, the body; after a ``==> path <==`` line (as ``head``
    writes) when ``path`` is given."""
    text = f"{article.title or ''}\n\n{article.text}\n".lstrip("\n")
    return text if path is None else f"==> {path} <==\n{text}"
