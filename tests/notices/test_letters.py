"""Letters: each event as a zone-signed bilingual PDF for staff to send, with the sending recorded."""

from __future__ import annotations

import io

from pypdf import PdfReader


def test_staff_download_a_signed_letter_and_record_its_sending(client, login_as, emit_events):
    (event_id,) = emit_events(1, "certificate.suspended")
    login_as("reviewer")
    page = client.get("/notices/letters")
    assert page.status_code == 200 and "KZ-2027-000000" in page.get_data(as_text=True)
    response = client.get("/notices/letters/1.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = reader.pages[0].extract_text()
    assert event_id in text and "приостановление" in text and "suspension" in text
    assert reader.get_fields() or reader.trailer["/Root"].get("/AcroForm")  # the zone's signature field
    again = client.get("/notices/letters/1.pdf")
    assert again.data == response.data  # made once, kept byte for byte

    assert client.post("/notices/letters/1/sent", data={"sent_to": ""}).status_code == 302
    assert "Курьером" not in client.get("/notices/letters").get_data(as_text=True)
    assert client.post("/notices/letters/1/sent", data={"sent_to": "КГД МФ РК, курьером"}).status_code == 302
    assert "КГД МФ РК, курьером" in client.get("/notices/letters").get_data(as_text=True)
    assert client.get("/notices/letters/99.pdf").status_code == 404


def test_auditors_read_letters_but_do_not_record_sending(client, login_as, emit_events):
    emit_events(1)
    login_as("auditor")
    assert client.get("/notices/letters").status_code == 200
    assert client.post("/notices/letters/1/sent", data={"sent_to": "x"}).status_code == 403
