"""The choices a command line offers, in a module that imports nothing heavy.

`editor-app --help` and its usage errors build the parser from these without importing the
store or the services (SQLAlchemy, the scorer).
"""

from __future__ import annotations

COMMENT_STATUS_CHOICES = ("auto", "pending", "approved")
EXPORT_FORMATS = ("html", "markdown", "docx", "pdf", "ninjs", "wxr", "json")
PUBLISH_STATUSES = ("draft", "pending", "future", "publish")
