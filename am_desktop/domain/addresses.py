"""E-mail addresses as the calendar and mail capture read them: one rule for an address, its
domain, and whether it is the account manager's own company's (issue 19)."""

from __future__ import annotations


def address(value: str) -> str | None:
    """The e-mail address of a CAL-ADDRESS (``mailto:Ann@Acme.com`` → ``ann@acme.com``)."""
    text = value.strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    text = text.strip().lower()
    local, at, domain = text.rpartition("@")
    return text if at and local and "." in domain and " " not in text else None


def domain_of(email: str) -> str:
    """The domain of an e-mail address (lower case)."""
    return email.rpartition("@")[2].lower()


def is_internal(email: str, my_domain: str) -> bool:
    """Whether an address is the AM's own company's (its domain or a subdomain of it)."""
    domain = domain_of(email)
    return domain == my_domain or domain.endswith("." + my_domain)


def domain_candidates(domain: str) -> list[str]:
    """A domain and its parents down to two labels (``eu.mail.acme.com`` → … ``acme.com``)."""
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(max(len(labels) - 1, 1))]
