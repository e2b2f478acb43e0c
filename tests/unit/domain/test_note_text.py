"""Structure read from a note's text: one test per rule."""

from __future__ import annotations

from datetime import date

from am_desktop.domain.note_text import Tag, parse, set_done


def test_a_checkbox_line_is_an_action_item_with_owner_and_due_date() -> None:
    (action,) = parse("- [ ] Send the pricing deck @maya due:2026-12-01\n").actions
    assert (action.text, action.owner, action.due, action.done) == (
        "Send the pricing deck",
        "maya",
        date(2026, 12, 1),
        False,
    )


def test_a_ticked_box_is_done_and_other_markers_count() -> None:
    actions = parse("* [x] Book the QBR\n+ [X] Share notes\n  - [ ] Nested one").actions
    assert [(a.text, a.done) for a in actions] == [
        ("Book the QBR", True),
        ("Share notes", True),
        ("Nested one", False),
    ]


def test_owner_and_due_may_come_anywhere_and_an_email_is_not_an_owner() -> None:
    (action,) = parse("- [ ] due:2027-01-15 @jo.lee mail ana@acme.com the SOW").actions
    assert (action.owner, action.due, action.text) == (
        "jo.lee",
        date(2027, 1, 15),
        "mail ana@acme.com the SOW",
    )


def test_a_due_that_is_not_a_date_stays_in_the_text() -> None:
    (action,) = parse("- [ ] Chase legal due:friday").actions
    assert action.due is None and action.text == "Chase legal due:friday"


def test_an_empty_checkbox_line_is_nothing() -> None:
    assert parse("- [ ] @maya\n- [ ]   \n").actions == ()


def test_plain_list_items_and_brackets_elsewhere_are_not_actions() -> None:
    assert parse("- not a task\n[ ] no list marker\n- [] squashed").actions == ()


def test_tags_make_risks_expansions_and_feedback_without_the_tag() -> None:
    structure = parse(
        "# Call notes\n"
        "- Budget freeze until Q2 #risk\n"
        "Wants the analytics add-on #Expansion for 40 seats\n"
        "* #feedback export to Excel is slow\n"
    )
    assert [(t.tag, t.text) for t in structure.tagged] == [
        (Tag.RISK, "Budget freeze until Q2"),
        (Tag.EXPANSION, "Wants the analytics add-on for 40 seats"),
        (Tag.FEEDBACK, "export to Excel is slow"),
    ]


def test_headings_anchors_and_unknown_tags_are_not_tags() -> None:
    text = "# risk\n## Risks\nSee https://x.example/#risk and #riskless #pricing\n"
    assert parse(text).tagged == ()


def test_lines_in_code_blocks_are_left_alone() -> None:
    text = "```\n- [ ] not a task #risk\n```\n- [ ] real task\n"
    structure = parse(text)
    assert [a.text for a in structure.actions] == ["real task"]
    assert structure.tagged == ()


def test_ticking_elsewhere_ticks_the_line_and_keeps_the_rest() -> None:
    body = "Intro\r\n- [ ] Send  deck @maya due:2026-12-01\r\n- [ ] Other\r\n"
    ticked = set_done(body, "send deck", done=True)
    assert ticked == "Intro\r\n- [x] Send  deck @maya due:2026-12-01\r\n- [ ] Other\r\n"
    assert set_done(ticked, "Send deck", done=False) == body
    assert set_done(body, "no such line", done=True) == body
