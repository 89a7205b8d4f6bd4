"""What agreements add to a lower floor at app creation, so that certificates never import agreements.

A revoked certificate ends the activity agreement made with it (the agreement's clause 5): the certificates
domain calls the followers registered here after every decision a person takes on a certificate, in that
transaction, so the agreement is terminated, audited and told to the authorities with the revocation or
not at all.
"""

from __future__ import annotations

from flask import Flask

from zone.accounts.models import User
from zone.agreements import services
from zone.certificates import sanctions
from zone.certificates.models import Certificate


def follow(certificate: Certificate, actor: User) -> None:
    """Terminate the certificate's agreement when the decision revoked it; other decisions change nothing."""
    services.terminate_with_certificate(certificate, actor)


def init_app(app: Flask) -> None:
    """Register the decision follower."""
    sanctions.follow_decisions(app, follow)
