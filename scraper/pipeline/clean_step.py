"""The datatrove step that cleans each document with zhengwen.

Each document is cleaned in datatrove's ExtractorSandbox, the child process its own
extractors use: a document over the time limit or one that kills the child is
counted with its reason and skipped, and the next document gets a fresh child.
Every Article field lands in the Document's metadata; ``language`` follows
datatrove's convention (``zh``) with the script (``Hans``/``Hant``) beside it.

The rules' screens compile on first use, which costs a fresh process a few tenths of
a second. Each task process therefore loads the rules once and cleans an invented
page with them before its sandbox starts: the child is forked from that warm process
instead of compiling everything again for every task.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import partial

from datatrove.data import Document
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.extractors.base import ExtractorSandbox
from datatrove.utils.typeshelper import StatHints

from cleaners import Article, CleanerError, RuleSet, clean_html, clean_text, load_rules
from cleaners.decode import decode_dump

from .readers import RAW

__all__ = ["CleanStep", "article_metadata", "warm_rules"]

DEFAULT_TIMEOUT_S = 30.0

_SENTENCE = "各有关单位要认真落实工作要求，切实做好相关准备工作。"
#: Invented, with paragraphs of many lengths so that most screen tiers compile.
_WARMUP_PAGE = (
    "<html><head><meta charset='utf-8'><title>关于做好年度工作的通知_通知公告</title></head>"
    "<body><div class='nav'><a href='/'>首页</a> &gt; <a href='/tzgg/'>通知公告</a></div>"
    "<div class='article'><h1>关于做好年度工作的通知</h1>"
    "<div class='info'>发布时间：2024-03-01 09:30 来源：办公室 浏览次数：12</div>"
    "<div class='content'>"
    + "".join(f"<p>{(_SENTENCE * (n // len(_SENTENCE) + 1))[:n]}</p>"
              for n in (8, 12, 18, 25, 35, 50, 70, 90, 110, 135, 155, 180, 250, 400, 6000))
    + "</div><div class='share'>分享到：微信 微博</div><div>上一篇：关于开展检查的通知</div>"
    "</div><div class='footer'>版权所有：某某市人民政府办公室 京ICP备12345678号</div>"
    "</body></html>").encode("utf-8")
_WARMUP_DUMP = "\n".join(["首页 > 通知公告", "关于做好年度工作的通知", "发布时间：2024-03-01 来源：办公室",
                          *((_SENTENCE * 20)[:n] for n in (10, 30, 60, 100, 200, 400)),
                          "版权所有 某某市人民政府"]).encode("utf-8")
#: The rule sets this process has loaded and warmed, so later tasks reuse them.
_WARM: dict[RuleSet, RuleSet] = {}


def _clean(kind: str, body: bytes, url: str | None, headers: Mapping[str, str] | None,
           rules: RuleSet) -> Article | Exception:
    """Runs in the sandbox: errors come back as values, so the child lives on."""
    try:
        if kind == "text":
            return clean_text(decode_dump(body, headers, source=url or "<dump>"), url,
                              rules=rules)
        return clean_html(body, url, headers=headers, rules=rules)
    except Exception as exc:  # noqa: BLE001 - reported by the parent as a stat
        return exc


def warm_rules(rule_files: Sequence[str]) -> RuleSet:
    """The rules of ``rule_files`` (plus the defaults), loaded and warmed once per
    process."""
    rules = load_rules(*rule_files)
    if rules not in _WARM:
        _clean("html", _WARMUP_PAGE, None, None, rules)
        _clean("text", _WARMUP_DUMP, None, None, rules)
        _WARM[rules] = rules
    return _WARM[rules]


def article_metadata(article: Article) -> dict[str, object]:
    """Every Article field but the text, in the Document metadata's shape."""
    fields = article.to_dict()
    fields.pop("text")
    language = fields.get("language")
    if isinstance(language, str) and "-" in language:
        fields["language"], _, script = language.partition("-")
        fields.setdefault("script", script)
    return fields


class CleanStep(PipelineStep):
    """Clean raw documents (from the readers of this package) or HTML/text in
    ``Document.text`` (from any datatrove reader) into articles.

    Stats: ``cleaned``, ``empty`` (no article text; dropped unless ``keep_empty``),
    and ``failed/<reason>`` with the reason: ``timeout``, ``worker_died`` or the
    CleanerError class.
    """

    name = "🧹 zhengwen clean"
    type = "🛢 - EXTRAC"

    def __init__(self, *, timeout_s: float = DEFAULT_TIMEOUT_S,
                 rule_files: Sequence[str] = (), keep_empty: bool = False) -> None:
        super().__init__()
        self.timeout_s = timeout_s
        self.rule_files = tuple(str(f) for f in rule_files)
        self.keep_empty = keep_empty

    def run(self, data: Iterator[Document], rank: int = 0,
            world_size: int = 1) -> Iterator[Document]:
        clean = partial(_clean, rules=warm_rules(self.rule_files))
        with ExtractorSandbox(timeout=self.timeout_s, warmup_text=("text", b"", None, None)) as box:
            for document in data:
                self.stat_update(StatHints.total)
                with self.track_time():
                    article = self._clean_one(box, clean, document)
                if article is None:
                    continue
                if not article.text and not self.keep_empty:
                    self.stat_update("empty", StatHints.dropped)
                    continue
                document.text = article.text
                document.media = [m for m in document.media if m.id != RAW]
                document.metadata.update(article_metadata(article))
                self.stat_update("cleaned", StatHints.forwarded)
                self.update_doc_stats(document)
                yield document

    def _clean_one(self, box: ExtractorSandbox, clean: partial,
                   document: Document) -> Article | None:
        raw = next((m for m in document.media if m.id == RAW), None)
        if raw is not None:
            args = (raw.metadata.get("kind", "html"), raw.media_bytes or b"", raw.url or None,
                    raw.metadata.get("headers") or None)
        else:
            kind = "html" if "<" in document.text[:2048] else "text"
            args = (kind, document.text.encode("utf-8"), document.metadata.get("url"),
                    {"Content-Type": "text/html; charset=utf-8"})
        try:
            return box.process_document(args, clean)
        except TimeoutError:
            self.stat_update("failed/timeout", StatHints.dropped)
        except EOFError:
            self.stat_update("failed/worker_died", StatHints.dropped)
        except CleanerError as exc:
            self.stat_update(f"failed/{type(exc).__name__}", StatHints.dropped)
        except Exception as exc:  # noqa: BLE001 - one document never ends the task
            self.stat_update(f"failed/{type(exc).__name__}", StatHints.dropped)
        return None
