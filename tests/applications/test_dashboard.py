"""The company's dashboard: status, next step, deadline, unread messages; keyset pages; fixed query count."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import event

from tests.applications.conftest import complete_fields


def _staff_message(app, application_id: int, text: str, action: str | None = None, visible: bool = True,
                   role: str = "reviewer") -> None:
    from zone.accounts.models import User
    from zone.applications.lifecycle import add_event
    from zone.applications.models import Application
    from zone.extensions import db

    with app.app_context():
        staff = db.session.query(User).filter_by(role=role).first()
        application = db.session.get(Application, application_id)
        add_event(application, staff, "transition" if action else "message", action=action, comment=text,
                  visible_to_company=visible, bump_version=False)
        db.session.commit()


def test_next_steps_deadlines_and_unread_messages(client, app, applicant, applicant_headers, login, make_user,
                                                  submitted_application, set_status):
    make_user("reviewer")
    draft = client.post("/api/v1/applications", json={"side": "KZ", "project_title": "Черновик"},
                        headers=applicant_headers).get_json()
    asked = submitted_application(applicant_headers)
    set_status(asked["id"], "info_requested", info_deadline=date(2026, 12, 15))
    _staff_message(app, asked["id"], "Приложите баланс за 2025 год", action="request_info")
    _staff_message(app, asked["id"], "Внутренняя заметка: проверить учредителей", visible=False)
    login(applicant)
    page = client.get("/applications").get_data(as_text=True)
    assert "Черновик" in page and asked["number"] in page
    draft_row = page[page.index("Черновик"):page.index("Черновик") + 2500]
    assert re.search(r"(Complete|Заполните)", draft_row)
    assert "Приложите баланс за 2025 год" in page
    assert "Внутренняя заметка" not in page
    assert re.search(r"1 (new message|новое сообщение)", page)
    assert "15" in page[page.index(asked["number"]):]
    # opening the application marks its messages read
    view = client.get(f"/applications/{asked['id']}").get_data(as_text=True)
    assert "Приложите баланс за 2025 год" in view and "Внутренняя заметка" not in view
    page = client.get("/applications").get_data(as_text=True)
    assert not re.search(r"\d+ (new message|новое сообщение|новых сообщения)", page)
    _staff_message(app, asked["id"], "И ещё устав в новой редакции")
    page = client.get("/applications").get_data(as_text=True)
    assert re.search(r"1 (new message|новое сообщение)", page) and "И ещё устав" in page
    assert draft["id"]


def test_keyset_pages_without_offset(client, applicant, applicant_headers, login):
    ids = [client.post("/api/v1/applications", json={"side": "KZ", "project_title": f"Проект №{n:02d}"},
                       headers=applicant_headers).get_json()["id"] for n in range(25)]
    login(applicant)
    first = client.get("/applications").get_data(as_text=True)
    assert "Проект №24" in first and "Проект №05" in first and "Проект №04" not in first
    cursor = re.search(r'href="/applications\?after=([^"]+)"', first).group(1)
    second = client.get(f"/applications?after={cursor}").get_data(as_text=True)
    assert "Проект №04" in second and "Проект №00" in second and "Проект №05" not in second
    assert 'href="/applications?after=' not in second
    assert client.get("/applications?after=garbage").status_code == 200  # a bad cursor shows the first page
    assert len(ids) == 25


def _count_queries(app, fn) -> int:
    from zone.extensions import db

    statements = []
    with app.app_context():
        engine = db.engine

    def listener(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(statements)


def test_the_dashboard_makes_no_query_per_row(client, app, applicant, applicant_headers, login, upload_all):
    def add(n: int) -> None:
        for i in range(n):
            body = client.post("/api/v1/applications", json={**complete_fields("KZ"), "project_title": f"P{i}"},
                               headers=applicant_headers).get_json()
            if i % 2:
                upload_all(body["id"], applicant_headers)

    add(2)
    login(applicant)
    few = _count_queries(app, lambda: client.get("/applications"))
    add(10)
    many = _count_queries(app, lambda: client.get("/applications"))
    assert few == many, (few, many)
