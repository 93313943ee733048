"""An editor signs in and keeps the record in the admin, under the site's Content-Security-Policy."""

from playwright.sync_api import expect

from tests.browser.helpers import FRAMEWORK_TITLE

PASSWORD = "a-long-editor-password-1"


def sign_in(page, live_demo, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    page.goto(f"{live_demo.url}/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Keep the partnership record")


def test_the_framework_document_in_the_admin(live_demo, page, django_user_model):
    sign_in(page, live_demo, django_user_model)
    page.goto(f"{live_demo.url}/admin/agreements/agreement/?q=co-creation")
    page.locator("#result_list a", has_text="Framework document on co-creation").first.click()
    expect(page.locator("#id_title_en")).to_have_value(FRAMEWORK_TITLE)
    parties = page.locator("#parties-group")
    expect(parties).to_contain_text("Ministry of Industry")
    expect(parties).to_contain_text("Ministry of Economy, Trade and Industry")
    signatories = page.locator("#signatories-group")
    expect(signatories.locator("input[value='Minister of Industry']")).to_have_count(1)
    expect(
        signatories.locator("input[value='Minister of Economy, Trade and Industry']")
    ).to_have_count(1)
    areas = page.locator("#areas-group")
    for number in ("1", "2", "3"):
        expect(areas.locator(f"input[name$='-number'][value='{number}']")).to_have_count(1)
    assert page.js_errors == []  # CSP violations are reported as console errors


def test_autocomplete_and_the_changelist_work_under_the_csp(live_demo, page, django_user_model):
    sign_in(page, live_demo, django_user_model)
    page.goto(f"{live_demo.url}/admin/investments/investment/")
    expect(page.locator("#result_list")).to_contain_text("PET resin")
    page.goto(f"{live_demo.url}/admin/investments/investment/add/")
    page.locator("#id_sources").locator("..").locator(".select2-selection").first.click()
    page.locator(".select2-search__field").fill("BOI")
    expect(page.locator(".select2-results__option").first).to_be_visible()
    assert page.js_errors == []


def sign_in_as(page, live_demo, username):
    page.goto(f"{live_demo.url}/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Keep the partnership record")


def test_two_editors_on_one_agreement_the_second_save_is_refused(
    live_demo, new_page, django_user_model
):
    from django.contrib.auth.models import Group

    from partnership.core.roles import EDITORS
    from tests import factories

    for username, first_name in [("edna", "Edna"), ("eric", "Eric")]:
        user = django_user_model.objects.create_user(
            username, password=PASSWORD, is_staff=True, first_name=first_name
        )
        user.groups.add(Group.objects.get(name=EDITORS))
    draft = factories.make_agreement(published=False, title="Memorandum on batteries")
    change = f"{live_demo.url}/admin/agreements/agreement/{draft.pk}/change/"

    first, second = new_page(), new_page()
    sign_in_as(first, live_demo, "edna")
    sign_in_as(second, live_demo, "eric")
    first.goto(change)
    second.goto(change)

    first.locator("#id_summary_en").fill("Cooperation on battery recycling.")
    first.locator("input[name=_save]").click()
    expect(first.locator(".messagelist")).to_contain_text("was changed successfully")

    second.locator("#id_summary_en").fill("Cooperation on battery cells.")
    second.locator("input[name=_save]").click()
    expect(second.locator(".errornote")).to_be_visible()
    expect(second.locator(".errorlist.nonfield")).to_contain_text("This record was changed by Edna")
    expect(second.locator(".errorlist.nonfield")).to_contain_text("Nothing was saved")
    expect(second.locator("#id_summary_en")).to_have_value("Cooperation on battery cells.")
    draft.refresh_from_db()
    assert draft.summary == "Cooperation on battery recycling."
    assert first.js_errors == [] and second.js_errors == []
