"""The note templates an account manager starts a call from (editable in preferences)."""

from __future__ import annotations

#: Name → Markdown. A template records nothing by itself: its boxes are empty and it holds no
#: tags, so only what is typed into it becomes action items, risks and the like.
DEFAULT_TEMPLATES: dict[str, str] = {
    "Check-in": (
        "## Check-in\n\n"
        "**Since last time**\n- \n\n"
        "**Adoption and usage**\n- \n\n"
        "**Concerns**\n- \n\n"
        "**Next steps**\n- [ ] \n"
    ),
    "QBR": (
        "## Quarterly business review\n\n"
        "**Objectives and results**\n- \n\n"
        "**Value delivered** (metrics the customer agrees with)\n- \n\n"
        "**Roadmap and feedback**\n- \n\n"
        "**Expansion ideas**\n- \n\n"
        "**Risks**\n- \n\n"
        "**Agreed next steps**\n- [ ] \n"
    ),
    "Renewal negotiation": (
        "## Renewal negotiation\n\n"
        "**Their position** (budget, term, price, decision date)\n- \n\n"
        "**Our position and give-gets**\n- \n\n"
        "**Decision process** (who signs, procurement, legal)\n- \n\n"
        "**Risks**\n- \n\n"
        "**Next steps**\n- [ ] \n"
    ),
    "Escalation": (
        "## Escalation\n\n"
        "**What happened and impact**\n- \n\n"
        "**Customer expectation**\n- \n\n"
        "**Owner and plan** (internal)\n- \n\n"
        "**Commitments made**\n- [ ] \n"
    ),
    "Handoff from sales": (
        "## Handoff from sales\n\n"
        "**Why they bought** (goals, success criteria)\n- \n\n"
        "**Who's who** (champion, economic buyer, users)\n- \n\n"
        "**Promises made in the sale**\n- \n\n"
        "**Onboarding plan**\n- [ ] \n\n"
        "**Open risks**\n- \n"
    ),
}
