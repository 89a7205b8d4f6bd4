"""Find the HTML forms a user can reach and read back what a re-rendered form shows.

``crawl(client, start)`` follows same-site links (GET only) from the start pages and returns every
``<form method="post">`` it saw, deduplicated by action path. ``parse_forms(html)`` gives each form's
fields with their kind, value, options and whether the page marks them invalid (``aria-invalid``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

SKIP_ACTIONS = ("/logout", "/lang/")
SKIP_LINKS = ("/logout", "/lang/", "/static/", "/api/", ".pdf", ".csv", ".xlsx", ".zip", "/download")
TEXT_KINDS = {"text", "email", "number", "search", "tel", "url", "date", "textarea", "datetime-local", "month"}


@dataclass
class FormField:
    name: str
    kind: str  # input type, "textarea", "select" or "button"
    value: str = ""
    options: list[str] = field(default_factory=list)
    invalid: bool = False
    checked: bool = False


@dataclass
class Form:
    action: str
    page: str
    multipart: bool
    fields: dict[str, list[FormField]] = field(default_factory=dict)

    def add(self, f: FormField) -> None:
        self.fields.setdefault(f.name, []).append(f)

    def first(self, name: str) -> FormField | None:
        found = self.fields.get(name)
        return found[0] if found else None


class _Parser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._textarea: FormField | None = None
        self._select: FormField | None = None
        self._option: tuple[str, bool] | None = None
        self._option_text = ""

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page, a["href"]))
        elif tag == "form" and a.get("method", "get").lower() == "post":
            self._form = Form(action=urljoin(self.page, a.get("action") or self.page), page=self.page,
                              multipart="multipart" in a.get("enctype", ""))
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._option = (a.get("value"), "selected" in a) if "value" in a else (None, "selected" in a)
                self._option_text = ""
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image", "reset"):
                kind = "button"
            self._form.add(FormField(a["name"], kind, a.get("value", ""), invalid=a.get("aria-invalid") == "true",
                                     checked="checked" in a))
        elif tag == "button":
            self._form.add(FormField(a["name"], "button", a.get("value", "")))
        elif tag == "textarea":
            self._textarea = FormField(a["name"], "textarea", "", invalid=a.get("aria-invalid") == "true")
            self._form.add(self._textarea)
        elif tag == "select":
            self._select = FormField(a["name"], "select", "", invalid=a.get("aria-invalid") == "true")
            self._form.add(self._select)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        if self._option is not None:
            self._option_text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            if self._textarea is not None and self._textarea.value.startswith("\n"):
                self._textarea.value = self._textarea.value[1:]  # HTML drops the newline after <textarea>
            self._textarea = None
        elif tag == "option" and self._select is not None and self._option is not None:
            value = self._option[0] if self._option[0] is not None else self._option_text.strip()
            self._select.options.append(value)
            if self._option[1]:
                self._select.value = value
            self._option = None
        elif tag == "select":
            self._select = None


def parse(html: str, page: str = "http://localhost/") -> _Parser:
    parser = _Parser(page)
    parser.feed(html)
    return parser


def parse_forms(html: str, page: str = "http://localhost/") -> list[Form]:
    return parse(html, page).forms


def _local_path(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, start: list[str], max_pages: int = 60) -> list[Form]:
    """Every POST form reachable by GET links from ``start`` (one per action path), in discovery order."""
    seen_pages: set[str] = set()
    queue = list(start)
    forms: dict[str, Form] = {}
    while queue and len(seen_pages) < max_pages:
        path = queue.pop(0)
        if path in seen_pages or any(s in path for s in SKIP_LINKS):
            continue
        seen_pages.add(path)
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        parsed = parse(response.get_data(as_text=True), "http://localhost" + path)
        for form in parsed.forms:
            action = _local_path(form.action)
            if action and not any(s in action for s in SKIP_ACTIONS):
                form.action = action
                form.page = path
                forms.setdefault(urlsplit(action).path, form)
        for link in parsed.links:
            local = _local_path(link.split("#", 1)[0])
            if local and local not in seen_pages:
                queue.append(local)
    return list(forms.values())


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise(value: str) -> str:
    """What a form may fairly do to a typed value: NFC, no control characters, no surrounding blanks,
    Unix newlines."""
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()
