"""A rendered (unsigned) certificate, as a normal PDF to compare hostile ones with."""

import pytest


@pytest.fixture(scope="session")
def kz_pdf() -> bytes:
    from tests.certificates.helpers import kz_context
    from zone.certificates.pdf import render_certificate_pdf

    return render_certificate_pdf(kz_context())
