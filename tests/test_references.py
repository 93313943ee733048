"""What a page's sources say they are cited for."""

from partnership.core.references import describe_uses


def test_records_and_statuses_are_listed_together_in_the_order_first_cited():
    uses = [
        "its status",
        "ELV",
        "ITC",
        "the status of ELV",
        "LASI",
        "the status of ITC",
        "the area ITC serves",
        "the status of LASI",
    ]
    assert describe_uses(uses) == (
        "its status; ELV, ITC and LASI; the status of ELV, ITC and LASI; the area ITC serves"
    )


def test_a_single_use_stays_as_it_is():
    assert describe_uses(["the agreement LASI falls under"]) == "the agreement LASI falls under"
    assert describe_uses(["Smart Monozukuri"]) == "Smart Monozukuri"
    assert describe_uses([]) == ""


def test_names_holding_commas_are_set_apart_by_semicolons():
    uses = ["JP→TH Applications, Jan–Sep 2021", "JP→TH Pledge, period not stated"]
    assert describe_uses(uses) == (
        "JP→TH Applications, Jan–Sep 2021; JP→TH Pledge, period not stated"
    )
