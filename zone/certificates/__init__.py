"""Residency certificates: the signed PDF document, its lifecycle and public verification.

Submodules are imported where needed (``pdf`` pulls in WeasyPrint, ``signing`` pyHanko), so
importing the package itself stays cheap.
"""
