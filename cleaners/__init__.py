"""zhengwen cleaners: Chinese government and news pages in, clean articles out.

>>> from cleaners import clean_html
>>> article = clean_html(open("page.html", "rb").read(), url="http://example.gov.cn/a.html")
>>> article.title, article.published, article.text

No network and no database here: bytes or text in, :class:`Article` out.
"""

import logging

from .api import clean_html, clean_text
from .article import Article, Removal
from .decode import decode_bytes
from .errors import CleanerError, DecodeError, ExtractionError, InputError, RulesError
from .rules import Rule, RuleSet, default_rules, load_rules
from .templates import SiteTemplate

__all__ = [
    "Article",
    "CleanerError",
    "DecodeError",
    "ExtractionError",
    "InputError",
    "Removal",
    "Rule",
    "RuleSet",
    "RulesError",
    "SiteTemplate",
    "clean_html",
    "clean_text",
    "decode_bytes",
    "default_rules",
    "load_rules",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
