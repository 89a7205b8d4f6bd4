"""Every user-visible string is translated: Russian and English complete, Kazakh and Uzbek present."""

from zone.web.catalogs import problems
from zone.web.i18n import catalog_domains


def test_catalogs_are_complete():
    found = [p for domain in catalog_domains() for p in problems(domain)]
    assert not found, "\n".join(found[:50]) + (f"\n… and {len(found) - 50} more" if len(found) > 50 else "")


def test_shared_messages_read_the_same_in_every_domain():
    from zone.web.catalogs import conflicts

    found = conflicts()
    assert not found, "\n".join(found[:30])


def test_every_domain_with_strings_has_a_catalog():
    from zone import DOMAINS
    from zone.web.catalogs import extract
    from zone.web.i18n import ZONE_DIR

    missing = [d for d in DOMAINS if (ZONE_DIR / d).is_dir() and len(extract(d)) and d not in catalog_domains()]
    assert not missing, f"domains with strings but no catalog: {missing}"


def test_pages_are_translated(client):
    assert "Войти" in client.get("/login?lang=ru").get_data(as_text=True)
    assert "Sign in" in client.get("/login?lang=en").get_data(as_text=True)
