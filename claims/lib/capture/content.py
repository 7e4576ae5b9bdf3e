"""Turn a captured body into (title, text): media type and charset, decoding, HTML extraction.

HTML is extracted with trafilatura, with the title and a plain-text fallback from lxml; plain
text is kept as is; other media types yield no text.
"""

from __future__ import annotations

import codecs
import re
from email.message import Message

import lxml.html
import trafilatura
from lxml.etree import ParserError

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def _media_type_and_charset(content_type: str) -> tuple[str, str | None]:
    if not content_type.strip():
        return "", None
    message = Message()
    message["Content-Type"] = content_type
    return message.get_content_type(), message.get_content_charset()


def _decode(body: bytes, charset: str | None) -> str:
    try:
        codec = codecs.lookup(charset or "utf-8").name
    except LookupError:
        codec = "utf-8"
    return body.decode(codec, errors="replace")


def _looks_like_html(text: str) -> bool:
    return text.lstrip()[:512].lower().startswith(("<!doctype html", "<html", "<?xml", "<head"))


def extract(content_type: str, body: bytes) -> tuple[str, str]:
    """Return (title, readable text) for a body: HTML is extracted, plain text kept as is."""
    media_type, charset = _media_type_and_charset(content_type)
    decoded = _decode(body, charset)
    if media_type in HTML_TYPES or (not media_type and _looks_like_html(decoded)):
        return _extract_html(decoded)
    if media_type.startswith("text/") or not media_type:
        return "", decoded
    return "", ""


def _extract_html(html: str) -> tuple[str, str]:
    document = _parse_html(html)
    title = _html_title(document) or _metadata_title(html)
    text = _trafilatura_text(html)
    if text is None:
        text = _fallback_text(document, title)
    return title, text


def _parse_html(html: str) -> lxml.html.HtmlElement | None:
    # lxml refuses str input that carries its own encoding declaration.
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    try:
        return lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return None


def _squash(text: str) -> str:
    return " ".join(text.split())


def _html_title(document: lxml.html.HtmlElement | None) -> str:
    if document is None:
        return ""
    return _squash(document.findtext(".//title") or "")


def _metadata_title(html: str) -> str:
    try:
        metadata = trafilatura.extract_metadata(html)
    except Exception:  # extraction is best effort; the capture itself succeeded
        return ""
    return _squash(getattr(metadata, "title", None) or "")


def _trafilatura_text(html: str) -> str | None:
    try:
        return trafilatura.extract(html, include_comments=False)
    except Exception:  # extraction is best effort; fall back to plain text
        return None


def _fallback_text(document: lxml.html.HtmlElement | None, title: str) -> str:
    if document is None:
        return title
    for element in document.xpath("//script|//style|//noscript|//head"):
        element.drop_tree()
    body = _squash(document.text_content())
    return "\n".join(part for part in (title, body) if part)
