"""Browser tests: Debian's Chromium driven by Playwright, axe-core on every page visited."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, reference_data):
    context = browser.new_context(base_url=live_server.url, locale="it-IT")
    page = context.new_page()
    page.set_default_timeout(30_000)
    # Nothing may leave the server: any request to another host fails the test.
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith((live_server.url, "data:", "blob:"))
            else None
        ),
    )
    # Nothing the Content-Security-Policy refuses: a refused script or style is a bug.
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert not outside, f"requests left the server: {outside}"
    assert not refused, f"refused by the Content-Security-Policy: {refused}"


def assert_accessible(page) -> None:
    """Run axe-core (WCAG 2.1 A and AA) on the current page; fail on any violation."""
    # Evaluated through the browser's debugging protocol, not added as a <script>: the
    # page's Content-Security-Policy rightly refuses inline scripts.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    problems = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in result["violations"]
    ]
    # What axe-core 4 no longer checks: an id used twice leaves a label pointing at the
    # wrong field (two forms on one page without prefixes).
    repeated = page.evaluate(
        """() => {
            const seen = {};
            document.querySelectorAll("[id]").forEach(e => { seen[e.id] = (seen[e.id] || 0) + 1; });
            return Object.keys(seen).filter(id => seen[id] > 1);
        }"""
    )
    problems += [f"id repeated on the page: {identifier}" for identifier in repeated]
    assert not problems, f"accessibility violations on {page.url}:\n" + "\n".join(problems)


def log_in(page, user, password: str = "password-di-prova-lunga") -> None:
    """Log in through the real two-step form: password, then the current TOTP code."""
    from django_otp.oath import totp

    if "/accesso/" not in page.url:
        page.goto("/accesso/")
    assert_accessible(page)
    page.get_by_label("Nome utente").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continua").click()
    page.wait_for_url("**/accesso/codice/**")
    assert_accessible(page)
    device = user.totpdevice_set.get()
    # A code is accepted once: a second login within the same 30 seconds would wait for
    # the phone's next code, which a test need not do.
    type(device).objects.filter(pk=device.pk).update(last_t=-1)
    page.get_by_label("Codice di verifica").fill(
        f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    )
    page.get_by_role("button", name="Verifica e accedi").click()
    page.wait_for_url(lambda url: "/accesso/" not in url)
    assert_accessible(page)


def open_menu(page, group: str, entry: str) -> None:
    """Open a group of the main menu and follow one of its entries."""
    menu = page.get_by_role("navigation", name="Menu principale")
    menu.get_by_text(group, exact=True).click()
    menu.get_by_role("link", name=entry, exact=True).click()


def tick(checkbox) -> None:
    """Tick a checkbox by clicking its label, as a person does: Bootstrap Italia draws the
    box on the label and moves the input itself off screen, where a click can miss it."""
    checkbox_id = checkbox.get_attribute("id")
    checkbox.page.locator(f"label[for='{checkbox_id}']").click()
    expect(checkbox).to_be_checked()
