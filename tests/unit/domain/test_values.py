"""Single-value rules shared by forms, services and imports."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from am_desktop.domain import values
from am_desktop.domain.enums import ContactRole, NoteKind, Segment, parse_choice


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("1200", 120000),
        ("1,200.50", 120050),
        ("$1200", 120000),
        ("$ 1,200", 120000),
        ("€99.9", 9990),
        ("USD1200", 120000),
        ("0.05", 5),
        ("1,234,567.89", 123456789),
    ],
)
def test_money_is_parsed_exactly_into_cents(text: str, cents: int) -> None:
    assert values.parse_money_cents(text) == cents


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1.200,50", "not an amount"),  # European decimal comma: refused, not guessed
        ("1,20", "not an amount"),
        ("12.345", "not an amount"),
        ("1e3", "not an amount"),
        ("-50", "negative"),
        ("abc", "not an amount"),
    ],
)
def test_ambiguous_or_bad_money_is_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        values.parse_money_cents(text)


def test_money_formats_back_to_what_it_parsed() -> None:
    for cents in (0, 5, 120000, 120050, 123456789):
        assert values.parse_money_cents(values.format_money(cents)) == cents


@pytest.mark.parametrize(
    ("text", "domain"),
    [
        ("acme.com", "acme.com"),
        ("https://www.Acme.com/about", "acme.com"),
        ("WWW.globex.co.uk", "globex.co.uk"),
    ],
)
def test_domains_are_reduced_to_the_bare_host(text: str, domain: str) -> None:
    assert values.parse_domain(text) == domain


@pytest.mark.parametrize("text", ["acme", "not a domain", "http://", "a..b.com"])
def test_bad_domains_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a web domain"):
        values.parse_domain(text)


def test_emails_are_lower_cased_and_checked() -> None:
    assert values.parse_email(" Ann.Lee@Acme.COM ") == "ann.lee@acme.com"
    with pytest.raises(ValueError, match="not an e-mail"):
        values.parse_email("ann.lee")


def test_dates_and_datetimes_follow_iso_8601_in_utc() -> None:
    assert values.parse_date("2026-03-01") == date(2026, 3, 1)
    assert values.parse_date("2026-03-01T10:00:00Z") == date(2026, 3, 1)
    assert values.parse_datetime("2026-03-01T10:00:00+02:00") == datetime(2026, 3, 1, 8, tzinfo=UTC)
    assert values.parse_datetime("2026-03-01 10:00") == datetime(2026, 3, 1, 10, tzinfo=UTC)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        values.parse_date("03/01/2026")


def test_percentages_accept_the_usual_spellings() -> None:
    assert values.parse_percent("80") == 80
    assert values.parse_percent("80%") == 80
    assert values.parse_percent("0.8") == 80
    with pytest.raises(ValueError, match="0–100"):
        values.parse_percent("120")


def test_yes_no_and_whole_numbers() -> None:
    assert values.parse_bool("Yes") is True
    assert values.parse_bool("0") is False
    with pytest.raises(ValueError, match="yes or no"):
        values.parse_bool("maybe")
    assert values.parse_int("1,000", 0, 5000) == 1000
    assert values.parse_int("3.0", 0, 5) == 3
    with pytest.raises(ValueError, match="whole number"):
        values.parse_int("3.5", 0, 5)


def test_choices_accept_labels_values_and_crm_spellings() -> None:
    assert parse_choice(Segment, "Mid-Market") is Segment.MID_MARKET
    assert parse_choice(Segment, "mid_market") is Segment.MID_MARKET
    assert parse_choice(ContactRole, "Economic Buyer") is ContactRole.ECONOMIC_BUYER
    assert parse_choice(NoteKind, "QBR") is NoteKind.QBR
    with pytest.raises(ValueError, match="enterprise, mid-market, smb"):
        parse_choice(Segment, "huge")


@pytest.mark.parametrize(
    "text",
    ["+1 (415) 555-0100", "020 7946 0958 x 12", "+44 20 7946 0958 ext. 4", "555.123.4567"],
)
def test_a_phone_number_is_kept_as_written(text: str) -> None:
    assert values.parse_phone(f"  {text} ") == text


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("a@b.com", "'a@b.com' is an e-mail address, not a phone number"),
        ("call me", "'call me' is not a phone number: use digits, spaces and + ( ) - . /"),
        ("0800 FLOWERS", "is not a phone number"),
        ("ext 12", "is not a phone number"),
    ],
)
def test_a_phone_number_refuses_addresses_and_words(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=re.escape(says)):
        values.parse_phone(text)
