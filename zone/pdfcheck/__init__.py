"""Reading PDFs that strangers upload without letting one hold a worker.

Every place that parses an uploaded PDF goes through here, so a decompression bomb, a looping page tree
or a cross-reference of millions of entries costs at most the configured memory and CPU, and the answer
comes within ``PDF_CHECK_TIMEOUT_SECONDS``:

* :func:`inspect_pdf` reads a whole PDF (pages and their contents) and says how many pages it has:
  application documents, and reports' audited statements when they are uploaded.
* :func:`check_signature` validates the zone's signature on an uploaded certificate (the public
  verification), after :mod:`zone.certificates.verification` has looked the file up by its SHA-256.
* :func:`run_limited` runs any other parser the same way, e.g. the agreements' check of a countersigned
  PDF: ``run_limited(validate_countersignature, data, ca_paths)`` with a module-level function that
  returns something picklable.

Each raises :class:`LimitExceeded` (``.limit`` is ``memory``, ``cpu``, ``timeout`` or ``parser``) when the
file costs more than any real document; callers refuse the file with a message of their own and never
answer 500. The limits (``PDF_CHECK_MEMORY_MB``, ``PDF_CHECK_CPU_SECONDS``, ``PDF_CHECK_TIMEOUT_SECONDS``)
are described in README.md.
"""

from zone.pdfcheck.checks import PARSER, PdfSummary, check_signature, inspect_pdf
from zone.pdfcheck.sandbox import CPU, MEMORY, TIMEOUT, LimitExceeded, Limits, ParseFailed, run_limited

__all__ = ["CPU", "MEMORY", "PARSER", "TIMEOUT", "LimitExceeded", "Limits", "ParseFailed", "PdfSummary",
           "check_signature", "inspect_pdf", "run_limited"]
