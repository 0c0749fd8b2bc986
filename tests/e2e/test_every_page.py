"""Every menu entry, as each role, on the demo's data: accessible, and nothing of the
machinery shows through (English, "None", Django's empty choice, UTC times)."""

import re

from django.core.management import call_command

from approdo.accounts.models import User
from approdo.demo.seed import DEMO_PASSWORD, DEMO_STAFF
from tests.e2e.conftest import assert_accessible, log_in

LEAKS = {
    "the Python value None": re.compile(r"\bNone\b"),
    "Django's empty choice": re.compile(r"-{9}"),
    "a time in UTC": re.compile(r"\bUTC\b|\+00:00"),
    "English": re.compile(
        r"\b(the|and|of|Submit|Search|Next|Previous|Save|Cancel|Delete|Loading|Unknown|"
        r"This field|Enter a valid|Select a valid|Ensure this|Log ?in|Log ?out|Sign in|"
        r"January|February|March|April|May|June|July|August|September|October|November|"
        r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    ),
}
# Names that stay in English in Italian too.
PROPER_NAMES = ("Individual Placement and Support",)
# From each list, the first row's page too: where most of the text is.
FIRST_ROW = {
    "/lavoro/persone/": "main table a[href^='/lavoro/persone/']",
    "/aziende/": "main table a[href^='/aziende/']",
    "/richieste/": "main table a[href^='/richieste/']",
    "/ips/": "main table a[href^='/ips/percorsi/']",
    "/partner/": "main table a[href^='/partner/']",
    "/corsi/": "main table a[href^='/corsi/']",
    "/progetti/": "main table a[href^='/progetti/']",
    "/contributi/": "main table a[href^='/contributi/']",
    "/comunicazioni/": "main table a[href^='/comunicazioni/']",
    "/questionari/": "main table a[href^='/questionari/']",
    "/eventi/": "main table a[href^='/eventi/']",
    "/fiera/": "main table a[href^='/fiera/']",
}


def leaks_on(page) -> list[str]:
    text = page.evaluate("() => document.body.innerText")
    # Form controls show their values too (a select's chosen option, a date).
    text += "\n" + "\n".join(
        page.evaluate(
            "() => [...document.querySelectorAll('option, input[type=text], input[type=date]')]"
            ".map(e => e.tagName === 'OPTION' ? e.textContent : e.value)"
        )
    )
    for name in PROPER_NAMES:
        text = text.replace(name, "")
    return [
        f"{what}: «{match.group(0)}» in …{text[max(0, match.start() - 40) : match.end() + 40]}…"
        for what, pattern in LEAKS.items()
        for match in [pattern.search(text)]
        if match
    ]


def check(page, seen: dict[str, list[str]]) -> None:
    assert_accessible(page)
    found = leaks_on(page)
    if found:
        seen[page.url] = found


def test_every_menu_entry_as_every_role(page, browser, live_server):
    call_command("seed_demo", "--people", "120")
    problems: dict[str, list[str]] = {}
    refused: list[str] = []
    visited = 0
    for username, *_ in DEMO_STAFF:
        user = User.objects.get(username=username)
        context = browser.new_context(base_url=live_server.url, locale="it-IT")
        role_page = context.new_page()
        role_page.set_default_timeout(30_000)
        role_page.on(
            "console",
            lambda message: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        log_in(role_page, user, DEMO_PASSWORD)
        menu = role_page.locator("nav[aria-label='Menu principale'] a")
        entries = [menu.nth(i).get_attribute("href") for i in range(menu.count())]
        assert entries, username
        for entry in entries:
            role_page.goto(entry)
            check(role_page, problems)
            visited += 1
            if entry in FIRST_ROW:
                row = role_page.locator(FIRST_ROW[entry]).first
                if row.count():
                    role_page.goto(row.get_attribute("href"))
                    check(role_page, problems)
                    visited += 1
        context.close()
    assert visited > 30
    assert not problems, "\n".join(f"{url}: {found}" for url, found in problems.items())
    assert not refused, f"refused by the Content-Security-Policy: {refused}"
