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
    expect(serving.locator("h3")).to_have_text(["Industry Transformation Center (ITC)"])
    # The report of the signing names the ITC for this area: the link is stated, with its source.
    expect(serving.locator("[data-tie]")).to_contain_text("stated in News site")

    # The initiative serving it.
    serving.get_by_role("link", name="Industry Transformation Center (ITC)").click()
    expect(page).to_have_url(re.compile(r"/initiatives/industry-transformation-center/$"))
    expect(h1(page)).to_have_text("Industry Transformation Center (ITC)")
    expect(facts_value(page, "Cooperation areas")).to_contain_text(f"2. {AREA_2_TITLE}")
    expect(facts_value(page, "Status")).to_contain_text("Active (as of January 2022)")
    participants = page.get_by_role("region", name="Who takes part")
    denso_row = participants.get_by_role("row", name=re.compile(r"^Denso"))
    expect(denso_row).to_contain_text("Partner")

    # An organization taking part.
    denso_row.get_by_role("link", name="Denso").click()
    expect(page).to_have_url(re.compile(r"/organizations/denso/$"))
    expect(h1(page)).to_have_text("Denso")
    expect(page.locator("main")).to_contain_text("Company, based in Japan")
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

    # Options may name the broad sector too ("Chemicals › Petrochemicals"), and each says how
    # many projects it holds.
    sector = filters(page).get_by_role("group", name="Sector")
    petrochemicals = sector.get_by_role("checkbox", name=re.compile(r"› Petrochemicals 1$"))
    petrochemicals.check()
    filters(page).get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"[?&]sector=petrochemicals"))
    expect(petrochemicals).to_be_checked()
    expect(page.locator(".chips")).to_contain_text("Sector: Chemicals › Petrochemicals")
    expect(projects.locator(".results-count")).to_have_text(re.compile(r"^1 project\b"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Manufacture of petrochemical products (PET resin)")
    expect(rows.first).to_contain_text("Petrochemicals")
    expect(rows.first).to_contain_text("3,062 million baht")
    expect(projects.locator(".totals")).to_contain_text("3,062 million baht")
    expect(projects.locator(".totals")).not_to_contain_text("9,329")
    screenshot(page, "investments-filtered")

    rows.first.get_by_role("link", name="Manufacture of petrochemical products (PET resin)").click()
    expect(page).to_have_url(re.compile(r"/investments/pet-resin-2021/$"))
    expect(h1(page)).to_have_text("Manufacture of petrochemical products (PET resin)")
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
    results = page.locator("ol.search-results")
    result = results.get_by_role("link", name="Lean Automation System Integrator (LASI)")
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
    party = filters(page).get_by_role("group", name="Party")
    party.get_by_role("checkbox", name=re.compile(r"^Ministry of Industry \(MOI\) \d+$")).check()
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
    # Which initiatives carry it out: those serving its areas, each with how that is known;
    # none is placed under the agreement by a source, and the work that began before it is
    # related work.
    carried = areas.locator(".meta").filter(has_text="Initiatives serving it:")
    expect(carried).to_have_text(
        [
            re.compile(r"ELV — editors' reading.*LASI.*LIPE.*Smart Monozukuri", re.S),
            re.compile(r"ITC — stated in News site"),
            re.compile(r"ELV — editors' reading"),
        ]
    )
    under = page.get_by_role("region", name="Carried out under this agreement")
    expect(under).to_contain_text("No source shows an initiative carried out under this agreement.")
    related = page.get_by_role("region", name="Related work")
    expect(related.get_by_role("link", name="Smart Monozukuri", exact=True)).to_be_visible()
    expect(related).to_contain_text("editors' reading: It ran for three years up to January 2023")
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


def test_question_who_signed_for_thailand_and_what_else_they_signed(live_demo, page):
    """Who signed the framework document for Thailand, with what title, and what else did
    they sign?"""
    page.goto(live_demo.url + f"/agreements/{FRAMEWORK_SLUG}/")
    signatories = facts_value(page, "Signatories")
    signatories.get_by_role("link", name="Suriya Juangroongruangkit").click()

    expect(page).to_have_url(re.compile(r"/people/suriya-juangroongruangkit/$"))
    expect(h1(page)).to_have_text("Suriya Juangroongruangkit")
    signed = page.get_by_role("region", name="What they signed")
    rows = signed.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="13 January 2022")).to_contain_text("Minister of Industry")
    expect(rows.filter(has_text="16 November 2022")).to_contain_text(
        "Cooperation Framework on HR Development for Realizing Industry 4.0"
    )
    sources = page.get_by_role("region", name="Sources")
    expect(sources).to_contain_text("Portal Worlds")
    changes = page.get_by_role("region", name="Changes to this page")
    expect(changes).to_contain_text("Loaded from the demo data")
    cite = page.get_by_role("region", name="Cite this record")
    expect(cite.locator("#citation-text")).to_contain_text(
        "Suriya Juangroongruangkit. Partnership Tracker."
    )
    expect(cite.get_by_role("link", name="BibTeX (.bib)")).to_have_attribute(
        "href", "/people/suriya-juangroongruangkit/cite.bib"
    )
    screenshot(page, "person")
    assert page.js_errors == []


def test_a_figure_has_its_own_page_with_what_it_may_include(live_demo, page):
    page.goto(live_demo.url + "/investments/figures/")
    figure = page.locator('table.figures [id^="figure-"]').filter(
        has=page.get_by_role("rowheader", name="Jan–Sep 2021", exact=True)
    )
    figure.get_by_role("link", name=re.compile("Jan–Sep 2021")).first.click()

    expect(page).to_have_url(re.compile(r"/investments/figures/jp-th-applications-2021-jan-sep/$"))
    expect(h1(page)).to_have_text("Applications: investment from Japan in Thailand, Jan–Sep 2021")
    expect(page.locator("main .lede")).to_contain_text("67,817 million baht, 125 projects")
    expect(facts_value(page, "Share of all foreign investment")).to_have_text("19%")
    includes = page.get_by_role("region", name="What it may include")
    expect(includes).to_contain_text("never added to them")
    sources = page.get_by_role("region", name="Sources")
    expect(sources).to_contain_text("News site (panasonic-nsk.com)")
    expect(page.get_by_role("region", name="Cite this record")).to_contain_text("CSL-JSON (.json)")
    screenshot(page, "figure")
    assert page.js_errors == []
