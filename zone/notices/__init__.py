"""Notices to the tax and customs services: subscriptions, signed delivery, the feed, letters, extracts."""
