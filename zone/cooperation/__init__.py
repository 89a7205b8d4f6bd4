"""Cooperation chains: residents' offers and needs by HS code, matching across the border, contact requests."""
