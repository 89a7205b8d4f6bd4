"""Streamed downloads: CSV, XLSX and ZIP responses whose memory use does not grow with the row count.

- CSV: a generator yields one encoded line at a time.
- XLSX: openpyxl's write-only workbook spills rows to a temporary file; the finished file is then
  streamed in chunks and removed.
- ZIP: a small front-to-back writer (``ZipWriter``) yields each member as it comes; at most one
  member (one PDF) is held in memory and the central directory is spooled to a temporary file.

The body needs no Flask context: ``rows_of()`` reads through a server-side cursor (``yield_per``) on a
database session of its own, opened when the first chunk is asked for and closed with the body, and
everything that needs the request (translations, the filter, the audit record) is done before the
response leaves the view. (``stream_with_context`` would keep the request context inside the body;
an abandoned body then pops it whenever it is garbage-collected, in the middle of another request,
and tears that request's session down.)

Cell values that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``) are neutralised in
CSV (a leading apostrophe, as OWASP advises) and stored as text in XLSX.
"""

from __future__ import annotations

import csv
import io
import os
import struct
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, BinaryIO
from urllib.parse import quote

from flask import Response
from sqlalchemy import Engine, Executable
from sqlalchemy.orm import Session

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
    try:
        yield (BOM if bom else "") + csv_line(header)
        for row in rows:
            yield csv_line(row)
    finally:
        _close(rows)


def rows_of(engine: Engine, statement: Executable, *, batch_size: int = 1000, scalars: bool = False) -> Iterator:
    """The statement's rows (or first column's objects), fetched ``batch_size`` at a time through a
    server-side cursor on a session of its own. Nothing runs until the first row is asked for."""
    with Session(bind=engine) as session:
        result = session.execute(statement.execution_options(yield_per=batch_size))
        try:
            yield from (result.scalars() if scalars else result)
        finally:
            result.close()  # the server-side cursor, before its connection goes back to the pool


def stream_response(body: Iterable[bytes], mimetype: str, filename: str) -> Response:
    """A streamed attachment; ``body`` must not need the request (see the module's note)."""
    return Response(_chunks(body), mimetype=mimetype, headers=_attachment(filename))


def _chunks(body: Iterable[bytes]) -> Iterator[bytes]:
    """The non-empty chunks of ``body``; closing the response (a download abandoned halfway) closes
    ``body`` at once, and with it the cursor it reads, rather than leaving both to the garbage collector."""
    try:
        yield from (chunk for chunk in body if chunk)
    finally:
        _close(body)


def _close(iterable: Iterable) -> None:
    close = getattr(iterable, "close", None)
    if close is not None:
        close()


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


ZipMember = tuple[str, "bytes | BinaryIO"]  # (name in the archive, its content or a file holding it)

_LOCAL, _CENTRAL, _END = 0x04034B50, 0x02014B50, 0x06054B50
_END64, _LOCATOR64 = 0x06064B50, 0x07064B50
_UTF8_NAMES = 0x0800
_MAX32, _MAX16 = 0xFFFFFFFF, 0xFFFF


class ZipWriter:
    """A ZIP archive written front to back, member by member, for streaming.

    Members are stored (PDFs are compressed already) with their CRC and size in the local header, so
    any reader can open the result. Python's ``zipfile`` keeps about 1 KB of bookkeeping per member
    until the end; here each member's central-directory record (under 100 bytes) goes to a spooled
    temporary file instead, so memory stays flat however many members there are. ZIP64 records are
    added when the archive passes 65,535 members or 4 GB.
    """

    def __init__(self) -> None:
        self._offset = 0
        self._count = 0
        # Closed by finish() or close(): it lives as long as the (streamed) archive, not a block.
        self._central = tempfile.SpooledTemporaryFile(max_size=4 << 20)  # noqa: SIM115
        moment = datetime.now(UTC)
        self._time = (moment.hour << 11) | (moment.minute << 5) | (moment.second // 2)
        self._date = ((moment.year - 1980) << 9) | (moment.month << 5) | moment.day

    def member(self, name: str, content: bytes | BinaryIO) -> Iterator[bytes]:
        """The bytes of one member: its local header, then its content."""
        if isinstance(content, (bytes, bytearray, memoryview)):
            data = bytes(content)
            crc, size = zlib.crc32(data), len(data)
        else:
            content.seek(0)
            crc, size = 0, 0
            while chunk := content.read(CHUNK):
                crc, size = zlib.crc32(chunk, crc), size + len(chunk)
            content.seek(0)
        if size >= _MAX32:
            raise ValueError(f"{name} is too large for a stored ZIP member")
        encoded = name.encode("utf-8")
        header = struct.pack("<IHHHHHIIIHH", _LOCAL, 20, _UTF8_NAMES, 0, self._time, self._date, crc, size, size,
                             len(encoded), 0) + encoded
        offset = self._offset
        yield header
        if isinstance(content, (bytes, bytearray, memoryview)):
            yield bytes(content)
        else:
            while chunk := content.read(CHUNK):
                yield chunk
        self._offset += len(header) + size
        extra, recorded_offset, version = b"", offset, 20
        if offset >= _MAX32:
            extra, recorded_offset, version = struct.pack("<HHQ", 0x0001, 8, offset), _MAX32, 45
        self._central.write(struct.pack(
            "<IHHHHHHIIIHHHHHII", _CENTRAL, (3 << 8) | version, version, _UTF8_NAMES, 0, self._time, self._date,
            crc, size, size, len(encoded), len(extra), 0, 0, 0, 0o100644 << 16, recorded_offset) + encoded + extra)
        self._count += 1

    def close(self) -> None:
        self._central.close()

    def finish(self) -> Iterator[bytes]:
        """The central directory and the end records."""
        directory_offset, directory_size = self._offset, self._central.tell()
        self._central.seek(0)
        while chunk := self._central.read(CHUNK):
            yield chunk
        self.close()
        count = self._count
        if count >= _MAX16 or directory_offset >= _MAX32 or directory_size >= _MAX32:
            end64_offset = directory_offset + directory_size
            yield struct.pack("<IQHHIIQQQQ", _END64, 44, (3 << 8) | 45, 45, 0, 0, count, count, directory_size,
                              directory_offset)
            yield struct.pack("<IIQI", _LOCATOR64, 0, end64_offset, 1)
        yield struct.pack("<IHHHHIIH", _END, 0, 0, min(count, _MAX16), min(count, _MAX16),
                          min(directory_size, _MAX32), min(directory_offset, _MAX32), 0)


def zip_stream(members: Iterable[ZipMember],
               finish: Callable[[], Iterable[ZipMember]] | None = None) -> Iterator[bytes]:
    """The bytes of a ZIP archive of ``members``, then of the members ``finish()`` returns (a manifest
    built while the others were written), yielded piece by piece."""
    writer = ZipWriter()
    try:
        for name, content in members:
            yield from writer.member(name, content)
        for name, content in (finish() if finish else ()):
            yield from writer.member(name, content)
        yield from writer.finish()
    finally:
        writer.close()  # also when the download is abandoned halfway
