"""The sample newsroom: a fictional magazine to try the workstation on without real data.

It goes through the ordinary import path, so it exercises the same sanitising, author
matching and comment moderation as a real import, and its source keys make loading it twice
harmless.
"""

from __future__ import annotations

from pathlib import Path

from editor_app.domain.errors import InvalidInput
from editor_app.domain.paths import resources_dir
from editor_app.formats.jsonbundle import read_bundle_file
from editor_app.services.dto import ImportResult
from editor_app.services.editing import EditorService
from editor_app.services.importing import COMMENT_STATUS_CHOICES, ImportOptions, ImportService

__all__ = ["SAMPLE_FILE", "load_sample_newsroom", "sample_path"]

SAMPLE_FILE = "sample_newsroom.json"
SAMPLE_SPELLING = "en_GB"


def sample_path() -> Path:
    return resources_dir() / SAMPLE_FILE


def load_sample_newsroom(imports: ImportService, *, comments_status: str = "auto") -> ImportResult:
    """Import the sample; ``comments_status`` is the import's, so "auto" lets moderation decide."""
    # import_bundles trusts its options; a typo here would silently mean "auto".
    if comments_status not in COMMENT_STATUS_CHOICES:
        raise InvalidInput(f"comments status must be one of {', '.join(COMMENT_STATUS_CHOICES)}")
    bundle = read_bundle_file(sample_path())
    result = imports.import_bundles([bundle], ImportOptions(comments_status=comments_status))
    # The Harbour Ledger writes British English: a store without a spelling language of its
    # own follows it, so "harbour" is not underlined in the sample's own articles.
    editor = EditorService(imports.uow_factory)
    if not editor.has_spelling_language():
        editor.set_spelling_language(SAMPLE_SPELLING, actor="sample")
    return result
