"""The review page in the browser's terms: forms with the version seen, documents, checklist, notes."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest

from zone.calendar import today as zone_today

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def with_document(app, make_user):
    """Store a file for ``app_id`` the way the applications domain does (server-named file + row)."""
    from zone.applications.models import Document
    from zone.extensions import db

    def _add(app_id: int, kind: str = "charter", content: bytes = PDF, content_type: str = "application/pdf",
             filename: str = "Устав.pdf") -> int:
        uploader = make_user("applicant")
        storage = f"ab/{hashlib.sha256(content + kind.encode()).hexdigest()[:32]}"
        path = app.config["UPLOAD_DIR"] / storage
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        with app.app_context():
            doc = Document(application_id=app_id, kind=kind, filename=filename, storage_name=storage,
                           content_type=content_type, size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                           uploaded_by_id=uploader.id)
            db.session.add(doc)
            db.session.commit()
            return doc.id

    return _add


def _form_version(html: str, action: str) -> str:
    form = html[html.index(f'id="form-{action}"'):]
    return re.search(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"', form).group(0)


def test_the_page_shows_everything_a_reviewer_needs(client, login_as, make_application, with_document):
    app_id = make_application(project_title="Завод полимерных труб «Жетысай»")
    with_document(app_id)
    login_as("reviewer")
    html = client.get(f"/review/applications/{app_id}").get_data(as_text=True)
    for text in ("Завод полимерных труб «Жетысай»", "22.21", "Устав.pdf", "Контрольный список",
                 "Условия допуска", "KZ_CIT", 'id="form-start_review"', "Подана"):
        assert text in html, text
    assert 'name="start_review-version"' in html or "start_review-version" in html


def test_documents_open_inline_or_download_and_are_audited(app, client, login_as, make_application, with_document):
    app_id = make_application()
    doc_id = with_document(app_id)
    login_as("auditor")
    inline = client.get(f"/review/applications/{app_id}/documents/{doc_id}")
    assert inline.status_code == 200 and inline.data == PDF
    assert inline.headers["Content-Type"].startswith("application/pdf")
    assert inline.headers["Content-Disposition"].startswith("inline")
    assert inline.headers["X-Content-Type-Options"] == "nosniff"
    download = client.get(f"/review/applications/{app_id}/documents/{doc_id}?download=1")
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert client.get(f"/review/applications/{app_id}/documents/{doc_id + 99}").status_code == 404
    other_app = make_application()
    assert client.get(f"/review/applications/{other_app}/documents/{doc_id}").status_code == 404
    from zone.audit.models import AuditEvent
    from zone.extensions import db
    with app.app_context():
        actions = [e.action for e in db.session.query(AuditEvent).filter(
            AuditEvent.action.in_(["document.view", "document.download"])).order_by(AuditEvent.seq)]
    assert actions == ["document.view", "document.download"]


@pytest.mark.parametrize("role", ["applicant"])
def test_companies_cannot_open_the_review(role, client, login_as, make_application, with_document):
    app_id = make_application()
    doc_id = with_document(app_id)
    login_as(role)
    assert client.get(f"/review/applications/{app_id}").status_code == 403
    assert client.get(f"/review/applications/{app_id}/documents/{doc_id}").status_code == 403


def test_drafts_are_not_in_the_review(client, login_as, make_application):
    app_id = make_application(status="draft")
    login_as("reviewer")
    assert client.get(f"/review/applications/{app_id}").status_code == 404
    assert client.get("/review/applications/424242").status_code == 404


def test_auditors_read_but_see_no_forms(client, login_as, make_application):
    app_id = make_application()
    login_as("auditor")
    html = client.get(f"/review/applications/{app_id}").get_data(as_text=True)
    assert "form-start_review" not in html and "/notes" not in html and "/messages" not in html
    assert "<fieldset disabled" in html  # the checklist is shown read-only
    assert client.post(f"/review/applications/{app_id}/actions/start_review",
                       data={"start_review-version": "2"}).status_code == 403


def test_checklist_is_saved_per_application(app, client, login_as, make_application):
    app_id, other = make_application(), make_application()
    login_as("reviewer")
    response = client.post(f"/review/applications/{app_id}/checklist", data={
        "checklist-items": ["documents_complete", "tax_id_checked"],
        "checklist-comment-site_available": "Ждём ответа акимата"})
    assert response.status_code == 302
    from zone.extensions import db
    from zone.review.models import ChecklistItem
    with app.app_context():
        rows = {r.item: r for r in db.session.query(ChecklistItem).filter_by(application_id=app_id)}
        assert {i for i, r in rows.items() if r.checked} == {"documents_complete", "tax_id_checked"}
        assert rows["site_available"].comment == "Ждём ответа акимата"
        assert db.session.query(ChecklistItem).filter_by(application_id=other).count() == 0
    html = client.get(f"/review/applications/{app_id}").get_data(as_text=True)
    assert re.search(r'value="documents_complete" checked', html)
    assert "Ждём ответа акимата" in html
    # Unticking is remembered too.
    client.post(f"/review/applications/{app_id}/checklist", data={"checklist-items": ["tax_id_checked"]})
    with app.app_context():
        assert not db.session.query(ChecklistItem).filter_by(application_id=app_id,
                                                              item="documents_complete").one().checked


def test_stale_form_is_refused_says_who_changed_what_and_keeps_the_text(client, app, make_application, make_user,
                                                                        act, login):
    owner = make_user("reviewer", full_name="Айгерим Сапарова")
    app_id = make_application(status="in_review", assignee_id=owner.id)
    login(owner)
    page = client.get(f"/review/applications/{app_id}").get_data(as_text=True)
    assert 'name="request_info-version"' in page
    # Meanwhile an admin gives the application to another reviewer.
    admin = make_user("admin", full_name="Администратор Зоны")
    admin_client = app.test_client()
    login(admin, the_client=admin_client)
    other = make_user("reviewer", full_name="Бахтиёр Каримов")
    assert admin_client.post(f"/review/applications/{app_id}/reassign",
                             data={"reassign-version": "2", "reassign-assignee": str(other.id)}).status_code == 302
    response = client.post(f"/review/applications/{app_id}/actions/request_info", data={
        "request_info-version": "2", "request_info-comment": "Нужен баланс за 2025 год",
        "request_info-deadline": (zone_today() + timedelta(days=7)).isoformat()})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Администратор Зоны" in html  # who changed it
    assert "Нужен баланс за 2025 год" in html  # nothing typed is lost
    from zone.applications.models import Application
    from zone.extensions import db
    with app.app_context():
        application = db.session.get(Application, app_id)
        assert application.status == "in_review" and application.assignee_id == other.id


def test_html_four_eyes_refusal(client, app, make_application, make_user, login):
    from zone.accounts.models import User
    from zone.extensions import db

    reviewer = make_user("reviewer")
    app_id = make_application(status="recommended", assignee_id=reviewer.id, recommended_by_id=reviewer.id,
                              recommendation="approve")
    with app.app_context():
        db.session.get(User, reviewer.id).role = "approver"
        db.session.commit()
    login(reviewer)
    page = client.get(f"/review/applications/{app_id}").get_data(as_text=True)
    assert "form-approve" not in page and "четырёх глаз" in page
    response = client.post(f"/review/applications/{app_id}/actions/approve",
                           data={"approve-version": "2", "approve-comment": "Одобряю сам"})
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "четырёх глаз" in html and "Одобряю сам" in html


def test_dashboard_draws_accessible_svg_without_inline_styles(client, login_as, make_application):
    from datetime import UTC, datetime

    for status in ("submitted", "in_review", "approved", "rejected"):
        make_application(status=status, decided_at=datetime.now(UTC) if status in ("approved", "rejected") else None)
    make_application(status="in_review", review_deadline=zone_today() - timedelta(days=5))
    make_application(side="UZ", status="submitted", sector="textiles_leather")
    login_as("auditor")
    html = client.get("/review/dashboard").get_data(as_text=True)
    assert html.count("<svg") == 3
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    assert "style=" not in html and "<script" not in html
    assert "Заявки по статусам и сторонам" in html and "Инвестиции по отраслям" in html
    assert "Медианный срок до решения" in html
    assert re.search(r'<span class="figure">1</span><br>\s*просроченных', html)
