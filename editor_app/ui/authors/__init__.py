"""Author profiles: the list, the profile pane and its editor, avatars, bios, merge and undo."""
