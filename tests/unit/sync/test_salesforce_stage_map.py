"""The Salesforce stage map (issue 18): proposed from the org's StageName picklist (standard
names, else Won/Lost and the org's order), the account manager's choice honoured at the push
and read back, and the picklist handed back in the run's report for Preferences to offer."""

from __future__ import annotations

from am_desktop.services import catalog
from am_desktop.services.store import Store
from am_desktop.services.sync.engine import SyncEngine
from am_desktop.services.sync.salesforce_mapping import stage_map
from tests.support.fake_salesforce import STAGES, FakeSalesforce
from tests.support.sync_kit import portfolio, remote_of, salesforce_connector

CUSTOM = ["Discover", "Demo", "Trial", "Contracting", "Deal Won", "Deal Lost"]


def test_an_org_with_its_own_stage_names_gets_a_map_by_won_lost_and_order() -> None:
    proposed = stage_map(CUSTOM)["opportunity"]
    assert proposed == {"identified": "Discover", "qualified": "Demo", "proposal": "Trial",
                        "negotiation": "Contracting", "won": "Deal Won",
                        "lost": "Deal Lost"}  # fmt: skip
    assert stage_map(CUSTOM)["renewal"]["churned"] == "Deal Lost"


def test_a_chosen_stage_wins_over_the_proposal_and_one_the_org_lacks_does_not() -> None:
    chosen = {"opportunity": {"identified": "Demo", "won": "No such stage"}}
    proposed = stage_map(CUSTOM, chosen)["opportunity"]
    assert proposed["identified"] == "Demo" and proposed["won"] == "Deal Won"
    assert len(set(proposed.values())) == len(proposed)  # one to one


def test_the_chosen_map_is_pushed_and_read_back_and_the_picklist_reported(
    store: Store, org: FakeSalesforce
) -> None:
    made = portfolio(store)  # an opportunity at "identified"
    crm = salesforce_connector(org, stages={"opportunity": {"identified": "Needs Analysis"}})
    try:
        report = SyncEngine(store, crm).run()
        assert report.stage_values == STAGES
        deal = remote_of(store, "opportunity", made["opportunity"])
        assert org.record("Opportunity", deal)["StageName"] == "Needs Analysis"
        org.edit("Opportunity", deal, {"Amount": 99})
        SyncEngine(store, crm).run()
    finally:
        crm.close()
    opportunity = catalog.opportunities.get(store, made["opportunity"])
    assert (opportunity.stage.value, opportunity.amount_cents) == ("identified", 99_00)
