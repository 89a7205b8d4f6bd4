"""The JSON API v1: shared plumbing (body parsing, errors, pagination) and the OpenAPI document.

Each domain defines its own endpoints in ``zone/<domain>/api.py`` on a blueprint under ``/api/v1``.
"""
