"""Admission: what happens when an application is approved, in one place (see :func:`services.admit`)."""
