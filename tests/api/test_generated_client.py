"""A real client generator consumes the served OpenAPI document, and its client works.

openapi-python-client (the generator many Python ERPs use) builds a client from ``/api/v1/openapi.json``
served by a live server on 127.0.0.1; no operation may be dropped and no warning given. The generated
package is then imported and drives a company's journey over HTTP: register, token, create a draft,
upload documents, submit (first the 422 naming what is missing, then a full submit), read the status.
"""

from __future__ import annotations

import importlib
import io
import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from werkzeug.serving import make_server

from tests.api.seed import DOCUMENT_KINDS, KZ_APPLICATION, PDF_BYTES

pytestmark = pytest.mark.slow

PACKAGE = "zone_generated_client"
# Binary downloads (PDF, ZIP, XLSX) are files to the client: the generator is told so, as an integrator would.
GENERATOR_CONFIG = """\
post_hooks: []
content_type_overrides:
  application/pdf: application/octet-stream
  application/zip: application/octet-stream
  application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: application/octet-stream
  image/jpeg: application/octet-stream
  image/png: application/octet-stream
"""
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def live_server(app):
    """The test app served over HTTP on a free loopback port, in a thread; stopped after the test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def generated(live_server, tmp_path):
    """Generate the client from the served document; yields (package module, document, generator output)."""
    document = httpx.get(f"{live_server}/api/v1/openapi.json", timeout=30).json()
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    config = tmp_path / "generator.yaml"
    config.write_text(GENERATOR_CONFIG, encoding="utf-8")
    out = tmp_path / PACKAGE
    run = subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(spec), "--meta", "none",
         "--config", str(config), "--output-path", str(out), "--fail-on-warning"],
        capture_output=True, text=True, timeout=300, check=False)
    output = run.stdout + run.stderr
    assert run.returncode == 0, f"the generator failed or warned:\n{output[-6000:]}"
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE), document, out
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def _generated_operations(package_dir: Path) -> set[tuple[str, str]]:
    """(METHOD, path shape) of every endpoint module the generator wrote."""
    found = set()
    for module in (package_dir / "api").rglob("*.py"):
        text = module.read_text(encoding="utf-8")
        method = re.search(r'"method": "(\w+)"', text)
        url = re.search(r'"url": f?"([^"]+)"', text)
        if method and url:
            found.add((method.group(1).upper(), _shape(url.group(1))))
    return found


def test_no_operation_is_dropped(generated):
    _package, document, package_dir = generated
    documented = {(method.upper(), _shape(path)) for path, item in document["paths"].items()
                  for method in item if method in METHODS}
    missing = sorted(documented - _generated_operations(package_dir))
    assert not missing, f"the generated client lacks: {missing}"


def _module(package, tag: str, name: str):
    return importlib.import_module(f"{package.__name__}.api.{tag}.{name}")


def _model(package, name: str):
    return getattr(importlib.import_module(f"{package.__name__}.models"), name)


def test_a_company_journey_through_the_generated_client(generated, live_server, valid_bin):
    package, _document, _dir = generated
    types = importlib.import_module(f"{package.__name__}.types")
    public = package.Client(base_url=live_server, raise_on_unexpected_status=True, timeout=60)

    email, password = "erp@jetisay.example", "correct-horse-battery"
    registration = _module(package, "accounts", "post_api_v1_register").sync_detailed(
        client=public, body=_model(package, "RegistrationRequest")(
            email=email, password=password, full_name="ERP",
            company=_model(package, "RegistrationRequestCompany")(
                name="ТОО «Жетысай Полимер»", tax_id=valid_bin(), registration_country="KZ")))
    assert registration.status_code == 201, registration.content
    assert registration.parsed.user.role.value == "applicant"

    token = _module(package, "accounts", "post_api_v1_tokens").sync(
        client=public, body=_model(package, "TokenRequest")(email=email, password=password))
    company = package.AuthenticatedClient(base_url=live_server, token=token.token,
                                          raise_on_unexpected_status=True, timeout=60)

    body = _model(package, "ApplicationInput").from_dict(KZ_APPLICATION)
    created = _module(package, "applications", "post_api_v1_applications").sync_detailed(client=company, body=body)
    assert created.status_code == 201, created.content
    draft = created.parsed
    assert draft.status.value == "draft"
    assert draft.project_title == KZ_APPLICATION["project_title"]

    upload = _module(package, "applications", "post_api_v1_applications_id_documents")
    upload_body = _model(package, "DocumentUpload")
    kind = _model(package, "DocumentUploadKind")

    def send(kind_code: str):
        return upload.sync_detailed(id=draft.id, client=company, body=upload_body(
            kind=kind(kind_code),
            file=types.File(payload=io.BytesIO(PDF_BYTES), file_name=f"{kind_code}.pdf",
                            mime_type="application/pdf")))

    first = send(DOCUMENT_KINDS[0])
    assert first.status_code == 201, first.content
    assert first.parsed.kind.value == DOCUMENT_KINDS[0] and first.parsed.size == len(PDF_BYTES)

    submit = _module(package, "applications", "post_api_v1_applications_id_submit")
    refused = submit.sync_detailed(id=draft.id, client=company)
    assert refused.status_code == 422, refused.content
    fields = refused.parsed.error.fields.to_dict()
    assert {f"documents.{k}" for k in DOCUMENT_KINDS[1:]} <= set(fields), fields
    assert f"documents.{DOCUMENT_KINDS[0]}" not in fields

    for kind_code in DOCUMENT_KINDS[1:]:
        assert send(kind_code).status_code == 201
    submitted = submit.sync_detailed(id=draft.id, client=company)
    assert submitted.status_code == 200, submitted.content
    assert submitted.parsed.status.value == "submitted"

    read = _module(package, "applications", "get_api_v1_applications_id").sync(id=draft.id, client=company)
    assert read.status.value == "submitted" and read.number
    listed = _module(package, "applications", "get_api_v1_applications").sync(client=company)
    assert [item.id for item in listed.items] == [draft.id]
