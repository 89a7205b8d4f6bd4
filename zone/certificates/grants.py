"""Where a certificate's benefits come from: a stored evaluation under the rules, never the request.

A certificate carries the benefits of one stored evaluation (an ``EligibilitySnapshot``): the decision's,
or, for a reissue after an amendment, a new one under the rules in force. A person may narrow them only as
an approval may (:func:`zone.review.decision.choose_benefits`, the one check: drop a benefit or end a
period earlier; never add one, lengthen a period or raise a reduction). Names, rule references and the
legal basis are taken from the evaluation and the shipped wording, so nothing typed by a person is signed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from zone.certificates import wording
from zone.errors import Conflict
from zone.extensions import db
from zone.review.decision import choose_benefits, stored_basis

LOCALES = ("ru", "en", "kk", "uz")


@dataclass(frozen=True)
class Grant:
    """Benefits chosen within one stored evaluation, in the certificate's shape."""

    snapshot_id: int
    rule_set: str
    on_date: date
    benefits: list[dict]  # [{"code", "name": {locale}, "reference", "legal_basis", "periods"}]
    changed: bool  # narrower than everything the evaluation gives

    @property
    def choice(self) -> list[dict]:
        """The benefits as a request states them (``{"code", "periods"}``), to check them again later."""
        return [{"code": b["code"], "periods": [dict(p) for p in b["periods"]]} for b in self.benefits]


def decision_snapshot(application):
    """The evaluation stored with the application's approval; 409 when there is none."""
    from zone.eligibility.models import EligibilitySnapshot, SnapshotKind

    snapshot = db.session.scalars(
        select(EligibilitySnapshot)
        .where(EligibilitySnapshot.application_id == application.id,
               EligibilitySnapshot.kind == SnapshotKind.DECISION)
        .order_by(EligibilitySnapshot.id.desc()).limit(1)
    ).first()
    if snapshot is None:
        raise Conflict(_l("The decision's evaluation is not stored, so no benefits can be certified."),
                       code="no_decision_evaluation")
    return snapshot


def amendment_snapshot(application, on_date: date, actor):
    """A new evaluation of the application under the rules in force on ``on_date``, stored."""
    from zone.eligibility.models import SnapshotKind
    from zone.eligibility.services import take_snapshot

    return take_snapshot(application, SnapshotKind.AMENDMENT, on_date, actor)


def snapshot_by_id(snapshot_id: int):
    from zone.eligibility.models import EligibilitySnapshot

    return db.session.get(EligibilitySnapshot, snapshot_id)


def grant(snapshot, requested: Any) -> Grant:
    """The benefits of ``snapshot`` as ``requested`` (None: all it gives); 422 naming each benefit that
    the evaluation does not give as asked, 409 when it admits nothing."""
    basis = stored_basis(snapshot)
    if not basis.admitted:
        raise Conflict(_l("Under this evaluation the admission criteria are not met, so no benefit can be "
                          "certified."), code="not_admitted")
    chosen, changed = choose_benefits(basis, requested)
    by_code = _rule_texts(snapshot)
    benefits = [{**by_code[b["code"]], "periods": [dict(p) for p in b["periods"]]} for b in chosen]
    return Grant(snapshot_id=snapshot.id, rule_set=snapshot.rule_set_version, on_date=snapshot.on_date,
                 benefits=benefits, changed=changed)


def _rule_texts(snapshot) -> dict[str, dict]:
    """Each benefit's name in every language and its rule reference, as the evaluation stated them."""
    stored = snapshot.result
    texts = stored.get("texts") or {}
    fallback = texts.get("ru") or next(iter(texts.values()), {"benefits": []})
    result = {}
    for index, benefit in enumerate(stored["result"]["benefits"]):
        code = benefit["code"]
        names = {}
        for locale in LOCALES:
            localized = (texts.get(locale) or fallback)["benefits"]
            names[locale] = localized[index].get("name") if index < len(localized) else None
        basis = wording.benefit_wording(code)
        result[code] = {
            "code": code,
            "name": {locale: names[locale] or names.get("en") or names.get("ru") or code for locale in LOCALES},
            "reference": str(benefit.get("reference") or ""),
            "legal_basis": {"ru": basis["legal_basis_ru"], "en": basis["legal_basis_en"]},
        }
    return result


def signed_summary(benefits: list[dict]) -> list[dict]:
    """What an audit entry records of the benefits signed: codes and periods."""
    return [{"code": b["code"], "periods": [dict(p) for p in b.get("periods") or ()]} for b in benefits]
