"""Backups: the database, every stored file and the audit chain head, with a manifest of hashes; restored
into an empty database and storage and checked against the manifest and the audit chain."""
