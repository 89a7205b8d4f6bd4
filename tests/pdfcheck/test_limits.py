"""Parsing a hostile PDF is stopped by the child process's limits, whichever parser it targets.

Each test sets the limits so that the one under test is the one that must stop the file (the others are
generous), and asserts which one did: no timing is measured.
"""

from __future__ import annotations

import pytest

from tests.pdfcheck import bombs
from zone.pdfcheck import (
    CPU,
    MEMORY,
    PARSER,
    TIMEOUT,
    LimitExceeded,
    Limits,
    ParseFailed,
    PdfSummary,
    check_signature,
    inspect_pdf,
    run_limited,
)

ONLY_MEMORY = Limits(memory_mb=48, cpu_seconds=60, timeout_seconds=120)
ONLY_CPU = Limits(memory_mb=1024, cpu_seconds=1, timeout_seconds=120)
ONLY_TIME = Limits(memory_mb=1024, cpu_seconds=60, timeout_seconds=0.3)


@pytest.fixture(scope="module")
def ca_pem(tmp_path_factory):
    from zone.certificates.signing import create_dev_signing_identity

    return create_dev_signing_identity(tmp_path_factory.mktemp("signing")).ca_pem


def _stopped_by(call) -> str:
    with pytest.raises(LimitExceeded) as stopped:
        call()
    return stopped.value.limit


def test_pages_inflating_to_megabytes_are_stopped_by_the_memory_limit():
    bomb = bombs.inflating_pages(pages=1, mb=60)  # 60 MB of page content from a file of 60 KB
    assert len(bomb) < 100_000
    assert _stopped_by(lambda: inspect_pdf(bomb, limits=ONLY_MEMORY)) == MEMORY


def test_a_cross_reference_stream_of_millions_of_entries_is_stopped_by_the_memory_limit(ca_pem):
    bomb = bombs.cross_reference_stream(10_000_000)  # 60 MB to inflate, then millions of rows to parse
    assert len(bomb) < 100_000
    assert _stopped_by(lambda: check_signature(bomb, ca_pem, limits=ONLY_MEMORY)) == MEMORY


def test_a_form_whose_fields_repeat_on_every_level_is_stopped_by_the_cpu_limit(ca_pem):
    bomb = bombs.signature_fields(levels=8, fan=10)  # 10⁸ fields to walk, in 1.4 KB
    assert _stopped_by(lambda: check_signature(bomb, ca_pem, limits=ONLY_CPU)) == CPU


def test_a_cross_reference_stream_just_under_the_parsers_cap_is_stopped_by_the_cpu_limit():
    bomb = bombs.cross_reference_stream(1_999_000)  # two million rows to parse, just below pypdf's own cap
    assert len(bomb) < 20_000
    assert _stopped_by(lambda: inspect_pdf(bomb, limits=ONLY_CPU)) == CPU


def test_a_page_tree_of_millions_of_pages_is_stopped():
    bomb = bombs.page_tree(levels=8, fan=10)  # 10⁸ pages in 1.3 KB
    assert _stopped_by(lambda: inspect_pdf(bomb, limits=ONLY_CPU)) in {CPU, PARSER}  # whichever comes first


def test_object_streams_read_again_and_again_are_stopped_by_the_timeout(ca_pem):
    bomb = bombs.object_streams(count=8, repeats=20)
    assert _stopped_by(lambda: check_signature(bomb, ca_pem, limits=ONLY_TIME)) == TIMEOUT


def test_the_parsers_own_caps_count_as_a_limit_too():
    assert _stopped_by(lambda: inspect_pdf(bombs.page_tree(levels=150, fan=1), limits=ONLY_CPU)) == PARSER


def test_a_limit_is_logged_with_its_name(caplog):
    with pytest.raises(LimitExceeded):
        inspect_pdf(bombs.inflating_pages(pages=1, mb=60), limits=ONLY_MEMORY)
    [record] = [r for r in caplog.records if r.name == "zone.pdfcheck.sandbox"]
    assert record.limit == MEMORY and "summarise" in record.getMessage()


def test_a_normal_pdf_is_read_as_before(kz_pdf):
    summary = inspect_pdf(kz_pdf, limits=Limits())
    assert summary == PdfSummary(pages=1) and summary.readable
    assert inspect_pdf(b"%PDF-1.7\n% nothing else\n", limits=Limits()).readable is False


def _boom(text: str) -> None:
    raise ValueError(text)


def test_what_the_child_returns_or_raises_reaches_the_caller():
    assert run_limited(sum, [1, 2, 3], limits=Limits()) == 6
    with pytest.raises(ParseFailed, match="ValueError: broken"):
        run_limited(_boom, "broken", limits=Limits())


def test_when_no_child_can_be_started_the_file_is_not_read_here(monkeypatch, kz_pdf):
    import errno

    from zone.pdfcheck import sandbox

    def no_fork():
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(sandbox.os, "fork", no_fork)
    with pytest.raises(ParseFailed, match="cannot start the parser"):
        inspect_pdf(kz_pdf, limits=Limits())


def test_the_wall_clock_bound_leaves_a_busy_machine_room(app):
    """CPU time and memory stop a hostile file; the wall clock only bounds a child that hangs. On a busy
    machine (two workers on two cores) a valid one-page PDF took more than 1.5 s of wall time to fork and
    parse while using a fraction of its CPU second, and was refused as "too complex". The wall-clock bound
    must leave room for that: several times the CPU bound, by default and in the shipped configuration."""
    from zone.pdfcheck.sandbox import Limits

    for limits in (Limits(), Limits.from_config(app.config)):
        assert limits.timeout_seconds >= 5 * limits.cpu_seconds


def _collect_and_count_frozen() -> tuple[int, int]:
    import gc

    gc.collect()
    return gc.get_freeze_count(), len(gc.get_objects())


def test_the_childs_collector_leaves_the_workers_objects_alone():
    """The CPU limit measures the file, not the worker: a collection in the child must not walk (and, page by
    page, copy) every object a long-lived worker holds, which costs seconds of the child's CPU in a big heap
    and stopped a valid certificate as if it were a bomb. Everything the worker had at the fork is frozen,
    and the child's collections see only what the parse makes."""
    import gc

    held = [[index] for index in range(200_000)]  # a worker's heap, many times a parse's
    frozen, scanned = run_limited(_collect_and_count_frozen)
    assert frozen >= len(held) and frozen >= len(gc.get_objects()) - 1_000
    assert scanned < 10_000
