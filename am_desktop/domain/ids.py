"""Typed ids, so an account id is never passed where a contact id is expected."""

from __future__ import annotations

from typing import NewType

AccountId = NewType("AccountId", int)
ContactId = NewType("ContactId", int)
NoteId = NewType("NoteId", int)
ContractId = NewType("ContractId", int)
RenewalId = NewType("RenewalId", int)
OpportunityId = NewType("OpportunityId", int)
EscalationId = NewType("EscalationId", int)
MovementId = NewType("MovementId", int)
