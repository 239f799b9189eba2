"""WordPress's ``wpautop``: classic post content (blank lines, single newlines) to HTML."""

from __future__ import annotations

import re

# ----------------------------------------------------------------------------- wpautop

_ALLBLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    r"|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section"
    r"|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)
_RE_PRE = re.compile(r"<pre\b.*?</pre>", re.S | re.I)
_RE_TAG_OR_COMMENT = re.compile(r"<!--.*?-->|<[^<>]*>", re.S)
_RE_DOUBLE_BR = re.compile(r"<br\s*/?>\s*<br\s*/?>", re.I)
_RE_BLOCK_OPEN = re.compile(r"(<" + _ALLBLOCKS + r"[\s/>])", re.I)
_RE_BLOCK_CLOSE = re.compile(r"(</" + _ALLBLOCKS + r">)", re.I)
_RE_HR = re.compile(r"<hr\s*?/?>", re.I)
_RE_MANY_NL = re.compile(r"\n\n+")
_RE_PARA_SPLIT = re.compile(r"\n\s*\n")
_RE_EMPTY_P = re.compile(r"<p>\s*</p>")
_RE_P_UNCLOSED = re.compile(r"<p>([^<]+)</(div|address|form)>")
_RE_P_AROUND_BLOCK = re.compile(r"<p>\s*(</?" + _ALLBLOCKS + r"[^>]*>)\s*</p>", re.I)
_RE_P_LI = re.compile(r"<p>(<li.+?)</p>", re.I)
_RE_P_BQ = re.compile(r"<p><blockquote([^>]*)>", re.I)
_RE_P_BEFORE_BLOCK = re.compile(r"<p>\s*(</?" + _ALLBLOCKS + r"[^>]*>)", re.I)
_RE_P_AFTER_BLOCK = re.compile(r"(</?" + _ALLBLOCKS + r"[^>]*>)\s*</p>", re.I)
_RE_NL_TO_BR = re.compile(r"(?<!<br />)\s*\n")
_RE_BR_AFTER_BLOCK = re.compile(r"(</?" + _ALLBLOCKS + r"[^>]*>)\s*<br />", re.I)
_RE_BR_BEFORE = re.compile(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", re.I)
_NL_IN_TAG = "\ue002"
_BR_NL = "<br />\n"
_PRE_MARK = re.compile("\ue003(\\d+)\ue003")


def wpautop(text: str) -> str:
    """WordPress's ``wpautop`` for classic content, in its essentials.

    Blank lines separate paragraphs, a single newline inside a paragraph becomes ``<br />``,
    block-level HTML (``<p>``, ``<blockquote>``, lists, headings, ``<figure>`` …) is not wrapped
    again and ``<pre>`` is left untouched. Shortcode handling and the ``<option>``/``<object>``
    special cases of the original are left out.
    """
    if not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "<" not in text:  # plain text: the same result without the HTML passes
        out = "".join(
            f"<p>{_RE_NL_TO_BR.sub(_BR_NL, p.strip(chr(10)))}</p>\n"
            for p in _RE_PARA_SPLIT.split(text + "\n")
            if p.strip()
        )
        return _RE_BR_BEFORE.sub(r"\1", _RE_BR_AFTER_BLOCK.sub(r"\1", out))
    return _wpautop_html(text)


def _wpautop_html(text: str) -> str:
    pres: list[str] = []

    def keep_pre(m: re.Match[str]) -> str:
        pres.append(m.group(0))
        return f"<pre>\ue003{len(pres) - 1}\ue003</pre>"

    text = _RE_PRE.sub(keep_pre, text)
    text = _RE_TAG_OR_COMMENT.sub(lambda m: m.group(0).replace("\n", _NL_IN_TAG), text)
    text += "\n"
    text = _RE_DOUBLE_BR.sub("\n\n", text)
    text = _RE_BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _RE_BLOCK_CLOSE.sub(r"\1\n\n", text)
    text = _RE_HR.sub("<hr />\n\n", text)
    text = _RE_MANY_NL.sub("\n\n", text)
    pees = _RE_PARA_SPLIT.split(text)
    text = "".join(f"<p>{p.strip(chr(10))}</p>\n" for p in pees if p.strip())
    text = _RE_EMPTY_P.sub("", text)
    text = _RE_P_UNCLOSED.sub(r"<p>\1</p></\2>", text)
    text = _RE_P_AROUND_BLOCK.sub(r"\1", text)
    text = _RE_P_LI.sub(r"\1", text)
    text = _RE_P_BQ.sub(r"<blockquote\1><p>", text)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = _RE_P_BEFORE_BLOCK.sub(r"\1", text)
    text = _RE_P_AFTER_BLOCK.sub(r"\1", text)
    text = _RE_NL_TO_BR.sub("<br />\n", text)
    text = _RE_BR_AFTER_BLOCK.sub(r"\1", text)
    text = _RE_BR_BEFORE.sub(r"\1", text)
    text = re.sub(r"\n</p>$", "</p>", text)
    text = text.replace(_NL_IN_TAG, "\n")
    if pres:
        text = text.replace("<pre>\ue003", "\ue003").replace("\ue003</pre>", "\ue003")
        text = _PRE_MARK.sub(lambda m: pres[int(m.group(1))], text)
    return text
