"""Application numbers: A-{year}-{NNNNN}, gap-free per year, also when submissions fail or run at once."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime

import pytest
import time_machine

from tests.applications.conftest import complete_fields


def test_numbers_follow_each_other_and_a_failed_submission_uses_none(client, applicant, api_token,
                                                                      complete_application):
    # At 23:30 in the zone on 31 December 2026 (18:30 UTC): the number takes the zone's year, whatever the
    # machine's clock says.
    with time_machine.travel(datetime(2026, 12, 31, 18, 30, tzinfo=UTC), tick=False):
        headers = api_token(applicant)
        first = complete_application(headers)
        incomplete = client.post("/api/v1/applications", json={"side": "KZ"}, headers=headers).get_json()
        second = complete_application(headers)
        response = client.post(f"/api/v1/applications/{incomplete['id']}/submit", headers=headers)
        assert response.status_code == 422
        numbers = [client.post(f"/api/v1/applications/{application['id']}/submit", headers=headers)
                   .get_json().get("number") for application in (first, second)]
    assert numbers == ["A-2026-00001", "A-2026-00002"]


def test_the_sequence_restarts_each_year(client, applicant, applicant_headers, api_token, complete_application):
    drafts = [complete_application(applicant_headers) for _ in range(3)]
    numbers = []
    # The year is the zone's: 31 December 2026 at 19:30 UTC is already 2027 in the zone (UTC+5).
    moments = (datetime(2026, 12, 30, 6, 0, tzinfo=UTC), datetime(2026, 12, 31, 18, 0, tzinfo=UTC),
               datetime(2026, 12, 31, 19, 30, tzinfo=UTC))
    for application, moment in zip(drafts, moments, strict=True):
        with time_machine.travel(moment, tick=False):  # a token issued then, so it is valid then
            body = client.post(f"/api/v1/applications/{application['id']}/submit",
                               headers=api_token(applicant)).get_json()
        numbers.append(body["number"])
    assert numbers == ["A-2026-00001", "A-2026-00002", "A-2027-00001"]


def test_the_review_deadline_is_ten_working_days_of_the_side_later(client, applicant, applicant_headers,
                                                                   api_token, complete_application):
    application = complete_application(applicant_headers)
    # Monday 2 February 2026 in the zone; no holiday on either side in the next two weeks.
    with time_machine.travel(datetime(2026, 2, 2, 6, 0, tzinfo=UTC), tick=False):
        body = client.post(f"/api/v1/applications/{application['id']}/submit",
                           headers=api_token(applicant)).get_json()
    assert body["review_deadline"] == "2026-02-16"


@pytest.mark.postgres_only
def test_concurrent_submissions_get_distinct_gap_free_numbers(app, client, applicant_headers, upload_all):
    count = 8
    ids = []
    for _ in range(count):
        created = client.post("/api/v1/applications", json=complete_fields("KZ"), headers=applicant_headers)
        upload_all(created.get_json()["id"], applicant_headers)
        ids.append(created.get_json()["id"])
    incomplete = [client.post("/api/v1/applications", json={"side": "UZ"}, headers=applicant_headers).get_json()["id"]
                  for _ in range(3)]
    start = threading.Barrier(count + len(incomplete))
    results: dict[int, tuple[int, dict]] = {}
    errors: list[BaseException] = []

    def submit(application_id: int) -> None:
        try:
            own = app.test_client()
            start.wait()
            response = own.post(f"/api/v1/applications/{application_id}/submit", headers=applicant_headers)
            results[application_id] = (response.status_code, response.get_json())
        except BaseException as error:  # re-raised below
            errors.append(error)

    threads = [threading.Thread(target=submit, args=(i,)) for i in ids + incomplete]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert all(results[i][0] == 422 for i in incomplete)
    assert all(results[i][0] == 200 for i in ids), [results[i] for i in ids]
    numbers = sorted(int(re.fullmatch(r"A-\d{4}-(\d{5})", results[i][1]["number"]).group(1)) for i in ids)
    assert numbers == list(range(1, count + 1))
