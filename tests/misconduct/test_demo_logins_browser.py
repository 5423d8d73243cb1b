"""Every demo login the seed prints signs in, in a real browser, and finds work waiting on its home page:
a worklist section with something in it (the oversight body: the API it reads). Demo mode lets these
logins skip the second factor, as the README says."""

import pytest

from cases.demo import DEMO_PASSWORD
from cases.demo.logins import login_name
from cases.roles import Role
from tests.cases.test_seed_demo import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOGINS = [login_name(role) for role in Role] + ["demo-panel-2"]


def test_each_demo_login_finds_work_on_its_home_page(chromium, live_server, settings):
    seed("--scale", "tiny", "--seed", "3", settings=settings)
    settings.DEBUG = False
    settings.DEMO_MODE = True
    settings.SESSION_COOKIE_SECURE = False  # the live server speaks plain http on 127.0.0.1
    settings.CSRF_COOKIE_SECURE = False
    found = {}
    for username in LOGINS:
        context = chromium.new_context(base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        page.goto("/")
        counts = [int(text) for text in page.locator("[data-worklist-count]").all_inner_texts()]
        api = page.get_by_role("link", name="API root: the list of endpoints").count()
        found[username] = (counts, api)
        context.close()

    for username, (counts, api) in found.items():
        if username == login_name(Role.OVERSIGHT):
            assert api == 1, username
        else:
            assert counts and max(counts) > 0, f"{username} has nothing waiting: {counts}"
