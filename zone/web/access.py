"""Route-level access rules: every view declares who may call it.

``@allow(...)`` both enforces the rule and records it on the view as ``view.access_rule``, so a test can
walk ``app.url_map`` and fail for any endpoint without a declared rule. Object-level decisions (which
company's application) live in each domain's ``policies.py``.

    @allow(PUBLIC)                        anyone, signed in or not
    @allow(AUTHENTICATED)                 any signed-in user of the zone: a company's or staff
    @allow(OWN_ACCOUNT)                   any signed-in user at all, on their own account (password, sign-out)
    @allow(Role.REVIEWER, Role.ADMIN)     signed-in users with one of these roles
    @allow(MACHINE_CREDENTIAL)            no user at all: the view checks a machine's credential (the metrics
                                          scraper's token or address) and answers everyone else 404

Outside bodies (``OUTSIDE_ROLES``: the tax and customs authorities) reach only the routes that name their
role and their own account: ``AUTHENTICATED`` views assume a company or staff and do not admit them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from flask import abort
from flask_login import current_user

from zone.accounts.roles import OUTSIDE_ROLES, Role

PUBLIC = "public"
AUTHENTICATED = "authenticated"
OWN_ACCOUNT = "own account"
MACHINE_CREDENTIAL = "machine credential"


@dataclass(frozen=True)
class AccessRule:
    public: bool
    roles: frozenset[Role]  # empty with public=False: any signed-in user of the zone
    own_account: bool = False  # any signed-in user, outside bodies too (self-service on one's own account)
    machine: bool = False  # no user of any role: only the credential the view itself checks

    def permits(self, user) -> bool:
        if self.machine:
            return False
        if self.public:
            return True
        if user is None or not user.is_authenticated:
            return False
        if self.roles:
            return user.role in self.roles
        return self.own_account or user.role not in OUTSIDE_ROLES


def allow(*who: str | Role):
    if MACHINE_CREDENTIAL in who:
        rule = AccessRule(public=False, roles=frozenset(), machine=True)
    elif PUBLIC in who:
        rule = AccessRule(public=True, roles=frozenset())
    elif OWN_ACCOUNT in who:
        rule = AccessRule(public=False, roles=frozenset(), own_account=True)
    elif AUTHENTICATED in who or not who:
        rule = AccessRule(public=False, roles=frozenset())
    else:
        rule = AccessRule(public=False, roles=frozenset(Role(r) for r in who))

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if not rule.public and not rule.machine:
                if not current_user.is_authenticated:
                    abort(401)
                if not rule.permits(current_user):
                    abort(403)
            return view(*args, **kwargs)

        wrapper.access_rule = rule  # type: ignore[attr-defined]
        return wrapper

    return decorator
