"""The CRMs this app can sync with: name -> display name, default API address and connector
(issue 18). The command line, the window and Preferences read this table, so a third CRM is one
more connector module and one more row here.

Import-light on purpose (the window reads the names at start-up): a connector and the HTTP
code load only when a sync runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from am_desktop.errors import ValidationError

if TYPE_CHECKING:
    from am_desktop.services.sync.connector import Connector
    from am_desktop.services.sync.http import CrmHttp
    from am_desktop.services.sync.tokens import TokenSource


#: Local kind -> local stage -> the CRM's stage, as chosen in Preferences.
StageMap = Mapping[str, Mapping[str, str]]


def _hubspot(http: CrmHttp, _stages: StageMap | None) -> Connector:
    from am_desktop.services.sync.hubspot import HubSpotConnector

    return HubSpotConnector(http)  # the default pipeline's stages: a fixed map


def _salesforce(http: CrmHttp, stages: StageMap | None) -> Connector:
    from am_desktop.services.sync.salesforce import SalesforceConnector

    return SalesforceConnector(http, stages=stages)


@dataclass(frozen=True, slots=True)
class Crm:
    """One CRM kind."""

    name: str
    display: str
    #: Its API address, or None where each customer has their own (a Salesforce instance).
    default_base_url: str | None
    #: (HTTP client, the stage map chosen in Preferences or None) -> its connector.
    make: Callable[[CrmHttp, StageMap | None], Connector]


CRMS: dict[str, Crm] = {
    crm.name: crm
    for crm in (
        Crm("hubspot", "HubSpot", "https://api.hubapi.com", _hubspot),
        Crm("salesforce", "Salesforce", None, _salesforce),
    )
}


def crm_named(name: str) -> Crm:
    """The CRM of a name.

    Raises:
        ValidationError: no such CRM.
    """
    try:
        return CRMS[name]
    except KeyError:
        raise ValidationError(f"{name} is not a CRM this version can sync with.") from None


def base_url_of(name: str, given: str | None) -> str:
    """The API address to use: the one given, else the CRM's own.

    Raises:
        ValidationError: the CRM has no common address and none was given.
    """
    crm = crm_named(name)
    address = given or crm.default_base_url
    if not address:
        raise ValidationError(
            f"{crm.display} has no common address: give your instance's with --base-url "
            "(for example https://yourcompany.my.salesforce.com)."
        )
    return address.rstrip("/")


def connector_for(
    name: str,
    base_url: str,
    token: str | TokenSource,
    *,
    stages: StageMap | None = None,
    **http: Any,
) -> Connector:
    """A CRM's connector over one HTTP client (``http``: CrmHttp's options), with the stage
    map chosen in Preferences (a CRM whose map is fixed ignores it)."""
    from am_desktop.services.sync.http import CrmHttp

    crm = crm_named(name)
    return crm.make(CrmHttp(base_url, token, **http), stages)
