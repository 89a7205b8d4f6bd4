"""Fixtures for the certificate document tests: a dev signing identity and rendered PDFs."""

from __future__ import annotations

import pytest

from tests.certificates.helpers import kz_context


@pytest.fixture(scope="session")
def dev_identity(tmp_path_factory):
    from zone.certificates.signing import create_dev_signing_identity

    return create_dev_signing_identity(tmp_path_factory.mktemp("signing"))


@pytest.fixture(scope="session")
def kz_pdf() -> bytes:
    from zone.certificates.pdf import render_certificate_pdf

    return render_certificate_pdf(kz_context())


@pytest.fixture(scope="session")
def signed_pdf(kz_pdf, dev_identity) -> bytes:
    from zone.certificates.signing import sign_pdf

    return sign_pdf(kz_pdf, dev_identity.signer_p12, dev_identity.passphrase)


@pytest.fixture
def resident(app, make_company, make_user):
    """A company with an applicant user and an issued KZ certificate."""
    from types import SimpleNamespace

    from tests.certificates.factories import approved_application, issue

    company = make_company(name="ТОО «Туран Агромаш»", address="Туркестанская обл., участок 12")
    owner = make_user("applicant", company=company)
    application_id = approved_application(app, company, owner)
    serial = issue(app, application_id)
    return SimpleNamespace(company=company, owner=owner, application_id=application_id, serial=serial)
