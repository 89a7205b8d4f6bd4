"""The company's profile in the application: the web checklist asks for the registered address, the director
and the phone, the pages refuse to submit without them, the profile page returns to the application, and
reviewers see what is missing. The API contract is unchanged: an API submission does not need them."""

from __future__ import annotations

import re

import pytest

from zone.applications.models import Application
from zone.companies.models import Company


@pytest.fixture
def bare_applicant(make_user, make_company):
    """A company user whose profile has no director and no phone (as a fresh registration leaves it)."""
    company = make_company(director_name=None, phone="")
    return make_user("applicant", company=company)


def _web_submit(client, application_id: int, version: int):
    return client.post(f"/applications/{application_id}/submit", data={"version": str(version)})


def test_the_checklist_asks_for_the_profile_and_links_to_its_fields(client, bare_applicant, api_token, login,
                                                                   complete_application):
    application = complete_application(api_token(bare_applicant))
    login(bare_applicant)
    page = client.get(f"/applications/{application['id']}").get_data(as_text=True)

    checklist = page.split('id="missing"', 1)[1].split("</ul>", 1)[0]
    assert f'href="/company?application={application["id"]}#director_name"' in checklist
    assert f'href="/company?application={application["id"]}#phone"' in checklist
    assert "#address" not in checklist  # the address is given
    assert "Телефон" in checklist and "Руководитель (ФИО)" in checklist
    # The sections table counts the profile first, as the first thing to do.
    first_row = page.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert "Профиль компании" in first_row and "2" in first_row


def test_the_pages_refuse_to_submit_without_the_profile_and_name_what_is_missing(client, bare_applicant, api_token,
                                                                               login, complete_application, db_get):
    application = complete_application(api_token(bare_applicant))
    login(bare_applicant)
    response = _web_submit(client, application["id"], application["version"])

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "Телефон" in summary and "Руководитель (ФИО)" in summary
    assert db_get(Application, application["id"]).status == "draft"


def test_an_api_submission_does_not_need_the_profile(client, bare_applicant, api_token, complete_application):
    headers = api_token(bare_applicant)
    application = complete_application(headers)
    assert not any(path.startswith("company.") for path in application.get("missing", {}))

    response = client.post(f"/api/v1/applications/{application['id']}/submit", headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "submitted"


def test_the_profile_saved_from_the_checklist_returns_to_the_application_which_can_then_be_sent(
        client, bare_applicant, api_token, login, complete_application, db_get):
    from tests.conftest import csrf_token_from

    application = complete_application(api_token(bare_applicant))
    login(bare_applicant)
    form_page = client.get(f"/company?application={application['id']}").get_data(as_text=True)
    assert f'href="/applications/{application["id"]}"' in form_page  # back without saving

    company = db_get(Company, bare_applicant.company_id)
    response = client.post(f"/company?application={application['id']}", data={
        "csrf_token": csrf_token_from(form_page), "name": company.name, "registration_country": "KZ",
        "tax_id": company.tax_id, "address": company.address, "director_name": "Серікбаев Нұрлан Асқарұлы",
        "phone": "+7 725 331 00 00"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/applications/{application['id']}")

    page = client.get(f"/applications/{application['id']}").get_data(as_text=True)
    assert 'id="missing"' not in page  # nothing left to do before sending
    assert _web_submit(client, application["id"], application["version"]).status_code == 302
    assert db_get(Application, application["id"]).status == "submitted"


def test_the_profile_page_returns_only_to_the_companys_own_application(client, bare_applicant, make_user, api_token,
                                                                      login, complete_application):
    from tests.conftest import csrf_token_from

    other = make_user("applicant")
    foreign = complete_application(api_token(other))
    login(bare_applicant)
    for query in (f"?application={foreign['id']}", "?application=https://evil.example", "?application=" + "9" * 40):
        page = client.get("/company" + query)
        assert page.status_code == 200
        assert f'/applications/{foreign["id"]}"' not in page.get_data(as_text=True)
        response = client.post("/company" + query, data={
            "csrf_token": csrf_token_from(page.get_data(as_text=True)), "name": "ТОО «Проверка»",
            "registration_country": "KZ", "tax_id": bare_applicant.company.tax_id, "address": "г. Туркестан"})
        assert response.status_code == 302 and response.headers["Location"].endswith("/company"), query


def test_reviewers_see_what_the_profile_lacks(client, bare_applicant, api_token, login, login_as,
                                             complete_application):
    headers = api_token(bare_applicant)
    application = complete_application(headers)
    assert client.post(f"/api/v1/applications/{application['id']}/submit", headers=headers).status_code == 200

    login_as("reviewer")
    page = client.get(f"/review/applications/{application['id']}").get_data(as_text=True)
    warning = page.split('id="profile-gaps"', 1)[1].split("</p>", 1)[0]
    assert "Руководитель (ФИО)" in warning and "Телефон" in warning and "Юридический адрес" not in warning
    company = page.split('id="profile-gaps"', 1)[1].split("</dl>", 1)[0]
    assert len(re.findall(">не указан<", company)) == 2
    assert "Казахстан" in company  # the country's name, not its code


def test_a_complete_profile_shows_no_warning_to_reviewers(client, applicant, api_token, login_as,
                                                         complete_application):
    headers = api_token(applicant)
    application = complete_application(headers)
    client.post(f"/api/v1/applications/{application['id']}/submit", headers=headers)
    login_as("reviewer")
    page = client.get(f"/review/applications/{application['id']}").get_data(as_text=True)
    assert 'id="profile-gaps"' not in page


def test_an_unmet_admission_criterion_stands_next_to_the_submit_button(client, applicant, api_token, login,
                                                                      complete_application):
    # On the Kazakh part, 90 % of income must come from priority activities.
    application = complete_application(api_token(applicant), priority_income_share="50")
    login(applicant)
    page = client.get(f"/applications/{application['id']}").get_data(as_text=True)
    submit_form = page.split(f'action="/applications/{application["id"]}/submit"', 1)[1].split("</form>", 1)[0]
    assert 'id="criteria-unmet"' in submit_form
    assert submit_form.index('id="criteria-unmet"') < submit_form.index('type="submit"')
