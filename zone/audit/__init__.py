"""Audit: the append-only, hash-chained trail of every security- and business-relevant event."""
