"""The article editor: rich body, metadata, figures, autosave, history and conflicts."""
