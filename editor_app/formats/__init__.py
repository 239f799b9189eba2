"""Importers and exporters. No Qt, no ORM: they read and write neutral bundles."""
