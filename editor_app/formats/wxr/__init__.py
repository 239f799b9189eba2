"""WordPress eXtended RSS (WXR 1.0, 1.1, 1.2): reader and writer.

The reader streams: ``lxml.etree.iterparse`` delivers one ``<item>`` at a time and every
processed element is cleared and unlinked with its preceding siblings, so a 1 GB export is read
in flat memory. docs/formats-wxr.md says what is mapped how; in short:

* Layers. ``iter_wxr_items`` reads the file as WordPress wrote it (raw strings, one pass).
  ``iter_wxr`` maps items to ``ArticleData`` in two passes: the first validates the whole file
  and collects the attachments (they may come after the post that shows them), the second
  yields the articles. A broken file therefore fails before the first article comes out.
* Safety. The parser never resolves entities, never loads a DTD, never touches the network and
  keeps libxml2's size limits (``huge_tree=False``). A DOCTYPE that declares entities or names
  an external DTD is refused, as are files that are not well-formed, whose bytes do not match
  their declared encoding, or that lack a ``wp:wxr_version`` of the form ``1.2`` (as
  WordPress's own importer refuses them). Every refusal is one ``ImportFailed`` line.
* Namespaces. The wp namespace of 1.0, 1.1 and 1.2 are the same to the reader (a file may mix
  them); elements whose prefix is bound to anything else are foreign and ignored, however they
  are spelled. A field that occurs twice in an item takes its last value.
* Bodies. Classic content is turned into paragraphs the way WordPress's ``wpautop`` does
  (blank line: new paragraph; single newline: ``<br>``; block-level HTML left alone), block
  editor content (``<!-- wp:`` comments) is already HTML and is only sanitized.
  Attachment images the content shows become ``FigureData`` (see ``_extract_figures``).
* Writer. ``write_wxr`` writes WXR 1.2 by hand, item by item, with every text in CDATA split
  around ``]]>``; for publication it leaves out every e-mail address, IP address and every
  comment that is not approved.
"""

from __future__ import annotations

__all__ = [
    "PRIVATE_TAG",
    "WxrAuthor",
    "WxrChannel",
    "WxrComment",
    "WxrItem",
    "WxrTerm",
    "body_from_wordpress",
    "channel_authors",
    "content_for_wordpress",
    "iter_wxr",
    "iter_wxr_items",
    "looks_like_wxr",
    "read_wxr",
    "wpautop",
    "write_wxr",
    "write_wxr_stream",
]

from editor_app.formats.wpautop import wpautop
from editor_app.formats.wxr.common import PRIVATE_TAG
from editor_app.formats.wxr.reader import (
    WxrAuthor,
    WxrChannel,
    WxrComment,
    WxrItem,
    WxrTerm,
    body_from_wordpress,
    channel_authors,
    iter_wxr,
    iter_wxr_items,
    looks_like_wxr,
    read_wxr,
)
from editor_app.formats.wxr.writer import content_for_wordpress, write_wxr, write_wxr_stream
