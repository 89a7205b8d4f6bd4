"""The checks of uploaded PDFs, each run under :func:`zone.pdfcheck.sandbox.run_limited`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING

from zone.pdfcheck.sandbox import LimitExceeded, Limits, ran_out_of_memory, run_limited

if TYPE_CHECKING:
    from zone.certificates.signing import SignatureCheck

PARSER = "parser"  # the parser's own safety limit (pypdf's page-tree, xref and decompression caps)


@dataclass(frozen=True)
class PdfSummary:
    """What reading a whole PDF found: its page count, or why it could not be read (for logs and staff;
    a file that merely fails to parse is not dangerous, only unusual)."""

    pages: int | None
    problem: str | None = None

    @property
    def readable(self) -> bool:
        return self.pages is not None


def inspect_pdf(data: bytes, *, limits: Limits | None = None) -> PdfSummary:
    """Read ``data`` as a viewer would (the cross-reference, every page, every page's content streams)
    under the limits. Returns what was found; raises :class:`LimitExceeded` when reading it costs more than
    any real document (or trips the parser's own caps), :class:`ParseFailed` when the parser broke."""
    import pypdf  # noqa: F401  (imported here, once per worker, not again in every child)

    return run_limited(summarise, data, limits=limits)


def check_signature(data: bytes, ca_pem_path: str | os.PathLike, *, limits: Limits | None = None) -> SignatureCheck:
    """:func:`zone.certificates.signing.validate_signature` under the limits (raises as :func:`inspect_pdf`)."""
    from zone.certificates.signing import validate_signature  # pyHanko loads here, not in every child

    return run_limited(validate_signature, data, str(ca_pem_path), limits=limits)


def summarise(data: bytes) -> PdfSummary:
    """Count the pages and decode their contents (runs in the limited child)."""
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

    try:
        reader = PdfReader(BytesIO(data), strict=False)
        pages = 0
        for page in reader.pages:
            pages += 1
            contents = page.get_contents()
            if contents is not None:
                contents.get_data()
    except LimitReachedError as error:
        raise LimitExceeded(PARSER) from error
    except Exception as error:  # any garbage may be uploaded
        if ran_out_of_memory(error):  # pypdf reports an allocation failure as an unreadable file
            raise MemoryError from error
        return PdfSummary(pages=None, problem=f"{type(error).__name__}: {error}"[:500])
    return PdfSummary(pages=pages)
