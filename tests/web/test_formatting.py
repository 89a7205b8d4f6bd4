"""One format per locale for what pages show: file sizes and countries."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from zone.web.formatting import fmt_country, fmt_size


@pytest.mark.parametrize(("locale", "size", "shown"), [
    ("ru", 512, "512 Б"), ("ru", 48 * 1024 + 100, "48 КБ"), ("ru", 1_572_864, "1,5 МБ"),
    ("ru", 25 * 1024 * 1024, "25,0 МБ"), ("en", 1_572_864, "1.5 MB"), ("en", 2048, "2 KB"),
    ("kk", 1_572_864, "1,5 МБ"), ("uz", 1_572_864, "1,5 MB"), ("ru", None, "—"),
])
def test_a_file_size_has_one_style_per_language(app, locale, size, shown):
    with app.test_request_context("/"), force_locale(locale):
        assert fmt_size(size).replace("\xa0", " ") == shown


@pytest.mark.parametrize(("locale", "code", "shown"), [
    ("ru", "KZ", "Казахстан"), ("en", "UZ", "Uzbekistan"), ("ru", "DE", "Германия"), ("ru", "", "—"),
    ("ru", "QQ", "QQ"),
])
def test_a_country_is_named_not_coded(app, locale, code, shown):
    with app.test_request_context("/"), force_locale(locale):
        assert fmt_country(code) == shown


def test_pages_show_sizes_in_that_style(client, make_user, login, api_token):
    import io

    user = make_user("applicant")
    headers = api_token(user)
    application = client.post("/api/v1/applications", json={"side": "KZ"}, headers=headers).get_json()
    pdf = b"%PDF-1.4\n" + b"0" * 3000 + b"\n%%EOF\n"
    response = client.post(f"/api/v1/applications/{application['id']}/documents", headers=headers,
                           data={"kind": "charter", "file": (io.BytesIO(pdf), "charter.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    login(user)
    page = client.get(f"/applications/{application['id']}/documents").get_data(as_text=True)
    assert "3\xa0КБ" in page or "3 КБ" in page
    assert "байт" not in page
