import codecs

import pytest

from cleaners import DecodeError
from cleaners.decode import declared_charsets, decode_bytes

TEXT = "<html><head>{meta}</head><body><p>示例市教育局召开会议，部署学校安全工作。堃</p></body></html>"


def test_bom_wins() -> None:
    text, enc = decode_bytes(codecs.BOM_UTF8 + TEXT.format(meta="").encode("utf-8"))
    assert enc == "utf-8" and "示例市" in text and not text.startswith("\ufeff")


def test_gbk_declared_widened_to_gb18030() -> None:
    page = TEXT.format(meta='<meta charset="gbk">').encode("gb18030")
    text, enc = decode_bytes(page)
    assert enc == "gb18030" and "堃" in text


def test_http_header_charset() -> None:
    page = TEXT.format(meta="").encode("gb18030")
    text, enc = decode_bytes(page, {"Content-Type": "text/html; charset=GB2312"})
    assert enc == "gb18030" and "示例市" in text


def test_utf8_page_declaring_gb2312() -> None:
    page = TEXT.format(meta='<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    text, enc = decode_bytes(page.encode("utf-8"))
    assert enc == "utf-8" and "示例市" in text


def test_gbk_page_declaring_utf8() -> None:
    page = TEXT.format(meta='<meta charset="utf-8">').encode("gb18030")
    text, enc = decode_bytes(page)
    assert enc == "gb18030" and "部署学校安全工作" in text


def test_undeclared_gbk_detected() -> None:
    text, enc = decode_bytes(TEXT.format(meta="").encode("gbk"))
    assert enc == "gb18030" and "召开会议" in text


def test_declared_charsets_order() -> None:
    page = b'<meta charset="gb2312">'
    assert declared_charsets(page, {"content-type": "text/html; charset=utf-8"}) == ["utf-8", "gb18030"]


def test_binary_input_raises_naming_source() -> None:
    with pytest.raises(DecodeError, match="scan.pdf"):
        decode_bytes(b"%PDF-1.4\x00\x00" * 50, source="scan.pdf")
