"""Streamed downloads: CSV, XLSX and ZIP responses whose memory use does not grow with the row count.

- CSV: a generator yields one encoded line at a time.
- XLSX: openpyxl's write-only workbook spills rows to a temporary file; the finished file is then
  streamed in chunks and removed.
- ZIP: ``zipfile`` writes into a sink that the generator drains after every member, so at most one
  member (one PDF) is held in memory.

Every generator runs inside ``stream_with_context``: the database session stays usable while the body
is produced. Cell values that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``) are
neutralised in CSV (a leading apostrophe, as OWASP advises) and stored as text in XLSX.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any, BinaryIO
from urllib.parse import quote

from flask import Response, stream_with_context

CHUNK = 64 * 1024
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # Excel opens a UTF-8 CSV with Cyrillic text correctly only with it


def _attachment(filename: str) -> dict[str, str]:
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    return {"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}",
            "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def csv_cell(value: Any) -> str:
    """A value as CSV text: ISO dates, plain decimals, and no formula a spreadsheet would execute."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_line(values: Iterable[Any]) -> str:
    """One CSV record (CRLF-terminated) of ``values``."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([csv_cell(v) for v in values])
    return buffer.getvalue()


def csv_lines(header: list[str], rows: Iterable[Iterable[Any]], *, bom: bool = True) -> Iterator[str]:
    """The CSV text, one line at a time (the header first)."""
    yield (BOM if bom else "") + csv_line(header)
    for row in rows:
        yield csv_line(row)


def stream_response(body: Iterable[bytes], mimetype: str, filename: str) -> Response:
    """A streamed attachment whose generator keeps the request (and database session) alive."""
    chunks = (chunk for chunk in body if chunk)
    return Response(stream_with_context(chunks), mimetype=mimetype, headers=_attachment(filename))


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> Response:
    """A streamed ``text/csv`` attachment."""
    body = (text.encode("utf-8") for text in csv_lines(header, rows))
    return stream_response(body, "text/csv; charset=utf-8", filename)


def _xlsx_value(sheet, value: Any):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, Decimal):  # a float is exact enough below 10^15 (money has 2 decimals)
        return float(value) if abs(value) < 10**13 else format(value, "f")
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones; callers pass UTC
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text, never a formula
        return cell
    return value


def write_xlsx(path: str, sheet_title: str, header: list[str], rows: Iterable[Iterable[Any]]) -> int:
    """Write a one-sheet workbook to ``path`` with openpyxl's write-only mode; returns the row count."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.freeze_panes = "A2"
    bold = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        bold.append(cell)
    sheet.append(bold)
    count = 0
    for row in rows:
        sheet.append([_xlsx_value(sheet, v) for v in row])
        count += 1
    workbook.save(path)
    return count


def _file_chunks(path: str) -> Iterator[bytes]:
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk
    finally:
        os.unlink(path)


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(filename: str, sheet_title: str, header: list[str], rows: Iterable[Iterable[Any]]) -> Response:
    """A streamed XLSX attachment, built in a temporary file when the body starts."""

    def body() -> Iterator[bytes]:
        descriptor, path = tempfile.mkstemp(prefix="zone-export-", suffix=".xlsx")
        os.close(descriptor)
        try:
            write_xlsx(path, sheet_title, header, rows)
        except BaseException:
            os.unlink(path)
            raise
        yield from _file_chunks(path)

    return stream_response(body(), XLSX_MIMETYPE, filename)


class _Sink(io.RawIOBase):
    """A write-only, unseekable file: ``zipfile`` writes into it, the generator drains it."""

    def __init__(self) -> None:
        super().__init__()
        self._chunks: list[bytes] = []
        self._position = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        chunk = bytes(data)
        self._chunks.append(chunk)
        self._position += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self._position

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


ZipMember = tuple[str, "bytes | BinaryIO", bool]  # (name in the archive, content or a file, compress?)


def _write_member(archive: zipfile.ZipFile, name: str, content: bytes | BinaryIO, compress: bool) -> None:
    info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED  # PDFs are compressed already
    info.external_attr = 0o644 << 16
    if isinstance(content, (bytes, bytearray, memoryview)):
        archive.writestr(info, bytes(content))
        return
    content.seek(0)
    with archive.open(info, "w", force_zip64=True) as target:  # size unknown in advance
        while chunk := content.read(CHUNK):
            target.write(chunk)


def zip_stream(members: Iterable[ZipMember],
               finish: Callable[[], Iterable[ZipMember]] | None = None) -> Iterator[bytes]:
    """The bytes of a ZIP archive of ``members``, then of the members ``finish()`` returns (a manifest
    built while the others were written), yielded member by member."""
    sink = _Sink()
    with zipfile.ZipFile(sink, mode="w", allowZip64=True) as archive:
        for name, content, compress in members:
            _write_member(archive, name, content, compress)
            yield sink.drain()
        for name, content, compress in (finish() if finish else ()):
            _write_member(archive, name, content, compress)
            yield sink.drain()
    yield sink.drain()


def zip_response(filename: str, members: Iterable[ZipMember],
                 finish: Callable[[], Iterable[ZipMember]] | None = None) -> Response:
    """A streamed ``application/zip`` attachment."""
    return stream_response(zip_stream(members, finish), "application/zip", filename)
