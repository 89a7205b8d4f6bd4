"""A local timestamp authority for the tests: a CA whose key is kept, the zone's signing identity and a
TSA certificate issued by it, and an RFC 3161 server on 127.0.0.1 answering with pyHanko's
``DummyTimeStamper``. Its fixtures (``timestamp_identity``, ``local_tsa``) are registered for every test
by ``tests/conftest.py``."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class TimestampIdentity:
    """Files of a CA that issued both the zone's signing certificate and a TSA certificate."""

    ca_pem: Path
    signer_p12: Path
    second_signer_p12: Path  # another signing certificate from the same CA (not the zone's)
    tsa_cert: x509.Certificate
    tsa_key: rsa.RSAPrivateKey
    ca_cert: x509.Certificate


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _issue(ca_key, ca_name, subject: str, *, extensions, ca: bool = False, key=None):
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(ca_name or _name(subject))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now).not_valid_after(now + dt.timedelta(days=365))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return key, builder.sign(ca_key or key, hashes.SHA256())


def _usage(*, sign: bool = False, ca: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=sign, content_commitment=sign, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                         encipher_only=False, decipher_only=False)


def create_timestamp_identity(folder: Path, ca_name: str = "Test Root CA") -> TimestampIdentity:
    """A test CA, two signing identities (PKCS#12, no passphrase) and a TSA certificate, all issued by it."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    _key, ca_cert = _issue(None, None, ca_name, extensions=[(_usage(ca=True), True)], ca=True, key=ca_key)
    paths = []
    for number in (1, 2):
        key, cert = _issue(ca_key, ca_cert.subject, f"Test Certificate Signing {number}",
                           extensions=[(_usage(sign=True), True)])
        path = folder / f"signer{number}.p12"
        path.write_bytes(pkcs12.serialize_key_and_certificates(b"signer", key, cert, [ca_cert],
                                                               serialization.NoEncryption()))
        paths.append(path)
    tsa_key, tsa_cert = _issue(ca_key, ca_cert.subject, "Test Timestamp Authority", extensions=[
        (_usage(sign=True), True), (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True)])
    ca_pem = folder / "ca.pem"
    ca_pem.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    return TimestampIdentity(ca_pem=ca_pem, signer_p12=paths[0], second_signer_p12=paths[1],
                             tsa_cert=tsa_cert, tsa_key=tsa_key, ca_cert=ca_cert)


class LocalTimestampAuthority:
    """An RFC 3161 server on 127.0.0.1 in a thread; ``status`` other than 200 makes it answer that error."""

    def __init__(self, identity: TimestampIdentity) -> None:
        from pyhanko.sign.timestamps import DummyTimeStamper

        stamper = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(identity.tsa_cert.public_bytes(serialization.Encoding.DER)),
            tsa_key=asn1_keys.PrivateKeyInfo.load(identity.tsa_key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
            certs_to_embed=[asn1_x509.Certificate.load(identity.ca_cert.public_bytes(serialization.Encoding.DER))],
        )
        authority = self
        self.status = 200
        self.requests = 0

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                authority.requests += 1
                if authority.status != 200:
                    self.send_error(authority.status)
                    return
                answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tsa"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LocalTimestampAuthority:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture(scope="module")
def timestamp_identity(tmp_path_factory) -> TimestampIdentity:
    """A CA, the zone's signing identity under it and a TSA certificate, made once per test module."""
    return create_timestamp_identity(tmp_path_factory.mktemp("tsa_identity"))


@pytest.fixture
def local_tsa(timestamp_identity):
    with LocalTimestampAuthority(timestamp_identity) as authority:
        yield authority
