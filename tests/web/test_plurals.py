"""Counts read right in every language: a number and its noun agree (1 символ, 2 символа, 5 символов), through
``ngettext`` and each catalog's plural forms, never one fixed form with the number pasted in."""

from __future__ import annotations

import pytest

CASES = [(21, "Минимум 21 символ."), (22, "Минимум 22 символа."), (25, "Минимум 25 символов."),
         (11, "Минимум 11 символов.")]


@pytest.fixture(params=CASES, ids=[str(n) for n, _ in CASES])
def minimum(request):
    return request.param


@pytest.fixture
def app_overrides(minimum):
    return {"PASSWORD_MIN_LENGTH": minimum[0]}


def test_the_password_hint_agrees_with_its_number_in_russian(client, minimum):
    page = client.get("/register", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert minimum[1] in page


def test_english_has_its_singular_and_plural(client, minimum):
    page = client.get("/register?lang=en").get_data(as_text=True)
    assert f"At least {minimum[0]} characters." in page


def test_every_plural_message_has_every_form_of_its_language():
    """ru has three forms (1, 2–4, 5+), kk and uz two; none may be empty or left in English in ru."""
    from babel.messages.pofile import read_po

    from zone.web.catalogs import po_path
    from zone.web.i18n import ZONE_DIR

    domains = [p.name for p in ZONE_DIR.iterdir() if (p / "translations").is_dir()]
    checked = 0
    for domain in domains:
        for locale, forms in (("ru", 3), ("kk", 2), ("uz", 2), ("en", 2)):
            with po_path(domain, locale).open("rb") as f:
                catalog = read_po(f, locale=locale)
            for message in catalog:
                if not isinstance(message.id, tuple):  # obsolete entries are not iterated
                    continue
                checked += 1
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                assert len(strings) == forms and all(strings), (domain, locale, message.id)
                if locale == "ru":
                    assert not set(strings) & set(message.id), (domain, message.id)
    assert checked >= 20
