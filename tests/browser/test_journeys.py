"""A visitor's journeys through the demo record, by clicking as a person would."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import FRAMEWORK_SLUG, FRAMEWORK_TITLE, filters, h1, screenshot

AREA_2_TITLE = "Growth of small and medium-sized enterprises through digital solutions"


def facts_value(page, term):
    """The <dd> that follows the <dt> with this exact text in the page's key facts."""
    return page.locator("dl.facts").locator(f"dt:text-is('{term}') + dd")


def test_overview_to_agreement_area_initiative_and_organization(live_demo, page):
    page.goto(live_demo.url + "/")
    expect(h1(page)).to_have_text(re.compile(r"Thailand|Japan"))
    expect(h1(page)).to_contain_text("economic partnership")

    # The overview lists the framework document among the latest agreements.
    latest = page.get_by_role("region", name="Latest agreements")
    latest.get_by_role("link", name=FRAMEWORK_TITLE, exact=True).click()

    expect(page).to_have_url(re.compile(rf"/agreements/{FRAMEWORK_SLUG}/$"))
    expect(page).to_have_title(re.compile(r"Partnership Tracker"))
    expect(h1(page)).to_contain_text(FRAMEWORK_TITLE)
    signed = facts_value(page, "Signed")
    expect(signed).to_contain_text("13 January 2022")
    expect(signed).to_contain_text("Bangkok")
    parties = facts_value(page, "Parties")
    expect(parties).to_contain_text("Ministry of Industry (MOI)")
    expect(parties).to_contain_text("Ministry of Economy, Trade and Industry (METI)")
    signatories = facts_value(page, "Signatories")
    expect(signatories.locator("li")).to_have_count(2)
    expect(signatories).to_contain_text("Suriya Juangroongruangkit, Minister of Industry, for MOI")
    expect(signatories).to_contain_text(
        "Hagiuda Koichi, Minister of Economy, Trade and Industry, for METI"
    )
    areas = page.get_by_role("region", name="Cooperation areas")
    expect(areas.locator("h3")).to_have_count(3)
    screenshot(page, "journey-agreement")

    # Its second cooperation area.
    areas.get_by_role("link", name=f"2. {AREA_2_TITLE}", exact=True).click()
    expect(h1(page)).to_have_text(AREA_2_TITLE)
    expect(page.locator("main .page-header")).to_contain_text(
        f"Cooperation area 2 of {FRAMEWORK_TITLE}"
    )
    serving = page.get_by_role("region", name="Initiatives serving this area")
    expect(serving.locator("h3")).to_have_text(
        [
            "Industry Transformation Center (ITC)",
            "Lean Automation System Integrator (LASI)",
            "Smart Monozukuri",
        ]
    )

    # An initiative under it.
    serving.get_by_role("link", name="Lean Automation System Integrator (LASI)").click()
    expect(page).to_have_url(re.compile(r"/initiatives/lasi/$"))
    expect(h1(page)).to_have_text("Lean Automation System Integrator (LASI)")
    expect(facts_value(page, "Cooperation areas")).to_contain_text(f"2. {AREA_2_TITLE}")
    participants = page.get_by_role("region", name="Who takes part")
    denso_row = participants.get_by_role("row", name=re.compile(r"^Denso"))
    expect(denso_row).to_contain_text("Implementing")

    # An organization taking part.
    denso_row.get_by_role("link", name="Denso").click()
    expect(page).to_have_url(re.compile(r"/organizations/denso/$"))
    expect(h1(page)).to_have_text("Denso")
    expect(page.locator("main")).to_contain_text("Company, Japan")
    lasi_row = page.get_by_role("row", name=re.compile(r"^Lean Automation System Integrator"))
    expect(lasi_row).to_contain_text("Implementing")
    assert page.js_errors == []


def test_investments_filtered_by_sector_then_a_project(live_demo, page):
    page.goto(live_demo.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Investment").click()
    expect(h1(page)).to_have_text("Investment")

    projects = page.get_by_role("region", name="Investment projects")
    rows = projects.locator("table.projects tbody tr")
    expect(projects.locator(".results-count")).to_have_text(re.compile(r"^4 projects\b"))
    expect(rows).to_have_count(4)
    expect(projects.locator(".totals")).to_contain_text("9,329 million baht")

    # Options may name the broad sector too ("Chemicals › Petrochemicals").
    sector = filters(page).get_by_label("Sector")
    option = sector.locator("option").filter(has_text=re.compile(r"Petrochemicals$"))
    sector.select_option(label=option.inner_text().strip())
    filters(page).get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"[?&]sector=[\w-]+"))
    expect(sector.locator("option:checked")).to_have_text(re.compile(r"Petrochemicals$"))
    expect(projects.locator(".results-count")).to_have_text(re.compile(r"^1 project\b"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("PET resin manufacturing")
    expect(rows.first).to_contain_text("Petrochemicals")
    expect(rows.first).to_contain_text("3,062 million baht")
    expect(projects.locator(".totals")).to_contain_text("3,062 million baht")
    expect(projects.locator(".totals")).not_to_contain_text("9,329")
    screenshot(page, "investments-filtered")

    rows.first.get_by_role("link", name="PET resin manufacturing").click()
    expect(page).to_have_url(re.compile(r"/investments/pet-resin-2021/$"))
    expect(h1(page)).to_have_text("PET resin manufacturing")
    expect(page.locator("main .lede")).to_contain_text("3,062 million baht")
    expect(facts_value(page, "Amount")).to_contain_text("3,062 million baht")
    expect(facts_value(page, "Sector")).to_contain_text("Petrochemicals")
    expect(facts_value(page, "Period")).to_have_text("Jan–Sep 2021")
    sources = page.get_by_role("region", name="Sources")
    expect(sources).to_contain_text("Sen-i News")
    expect(sources).to_contain_text("panasonic-nsk.com")
    # The lede's reference marks lead to those sources.
    first_ref = page.locator("main .lede sup.ref a").first
    target = first_ref.get_attribute("href")
    assert target and target.startswith("#source-")
    expect(page.locator(target)).to_be_attached()
    assert page.js_errors == []


def test_header_search_finds_lasi(live_demo, page):
    page.goto(live_demo.url + "/agreements/")
    search = page.get_by_role("search").filter(has=page.locator("#site-search-q"))
    search.get_by_role("searchbox", name="Search the record").fill("LASI")
    search.get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(r"/search/\?q=LASI$"))
    expect(h1(page)).to_have_text("Search results for “LASI”")
    initiatives = page.get_by_role("region", name=re.compile(r"^Initiatives"))
    result = initiatives.get_by_role("link", name="Lean Automation System Integrator (LASI)")
    expect(result).to_be_visible()
    result.click()
    expect(page).to_have_url(re.compile(r"/initiatives/lasi/$"))
    expect(h1(page)).to_have_text("Lean Automation System Integrator (LASI)")
    assert page.js_errors == []


def test_question_what_was_agreed_on_13_january_2022(live_demo, page):
    """What did Thailand's Ministry of Industry and METI agree on 13 January 2022, who signed
    it, and which initiatives carry it out?"""
    page.goto(live_demo.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Agreements").click()
    expect(h1(page)).to_have_text("Agreements")

    filters(page).get_by_label("Year signed").fill("2022")
    filters(page).get_by_label(re.compile(r"^Party:?$")).select_option(
        label="Ministry of Industry (MOI)"
    )
    filters(page).get_by_role("button", name="Apply filters").click()
    results = page.locator("section.results tbody tr")
    expect(results).to_have_count(2)
    row = results.filter(has_text="13 January 2022")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("MOI")
    expect(row).to_contain_text("METI")
    row.get_by_role("link", name=FRAMEWORK_TITLE).click()

    # What they agreed: the summary and the three areas.
    expect(h1(page)).to_contain_text(FRAMEWORK_TITLE)
    expect(page.locator("main .page-header .lede")).to_contain_text(
        "agreed in Bangkok on 13 January 2022"
    )
    areas = page.get_by_role("region", name="Cooperation areas")
    expect(areas.locator("h3")).to_have_text(
        [
            "1. Innovative and sustainable technologies and human capital capacity building",
            f"2. {AREA_2_TITLE}",
            "3. Supply chain co-creation",
        ]
    )
    # Who signed it, with their titles at signing.
    signatories = facts_value(page, "Signatories")
    expect(signatories).to_contain_text("Suriya Juangroongruangkit, Minister of Industry")
    expect(signatories).to_contain_text("Hagiuda Koichi, Minister of Economy, Trade and Industry")
    # Which initiatives carry it out: those serving its areas, and those under it.
    carried = areas.locator(".meta").filter(has_text="Initiatives:")
    expect(carried).to_have_text(
        [
            re.compile(r"ELV, LASI, LIPE, Smart Monozukuri"),
            re.compile(r"ITC, LASI, Smart Monozukuri"),
            re.compile(r"ELV"),
        ]
    )
    under = page.get_by_role("region", name="Initiatives under this agreement")
    expect(under.get_by_role("link", name="Smart Monozukuri")).to_be_visible()
    sources = page.get_by_role("region", name="Sources")
    expect(sources).to_contain_text("Office of Industrial Economics")

    areas.get_by_role("link", name="LIPE").click()
    expect(h1(page)).to_have_text("Lean IoT Plant Management and Execution (LIPE)")
    assert page.js_errors == []


def test_question_how_much_japan_applied_to_invest_jan_sep_2021(live_demo, page):
    """How many projects and how much did Japan apply to invest in January–September 2021,
    and according to whom?"""
    page.goto(live_demo.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Investment").click()
    expect(h1(page)).to_have_text("Investment")
    page.get_by_role("link", name="Reported figures only").click()
    expect(h1(page)).to_have_text("Investment figures as reported")

    figure = page.locator('table.figures [id^="figure-"]').filter(
        has=page.get_by_role("rowheader", name="Jan–Sep 2021", exact=True)
    )
    expect(figure).to_have_count(1)
    expect(figure).to_contain_text("Applications")
    expect(figure).to_contain_text("Japan → Thailand")
    expect(figure.locator("td.num").first).to_have_text("125")
    expect(figure).to_contain_text("67,817 million baht")
    expect(figure).to_contain_text("BOI")
    source = figure.locator("cite a")
    expect(source).to_have_count(1)
    expect(source).to_have_attribute("href", re.compile(r"^https?://"))
    expect(source).to_contain_text("13 January 2022")
    screenshot(page, "figures")
    assert page.js_errors == []
