"""The words a person reads for the codes of a complaint case, all in one place (the language
issue translates them here). Codes stay codes in files and the database; only what is shown
changes. Used by the Cases screen and by the printed reminder (tui.work.reminder_sheet)."""
from __future__ import annotations

CATEGORIES = {"appearance": "appearance", "model_quantity": "model or quantity",
              "performance": "performance"}
SEVERITIES = {"minor": "minor", "severe": "severe"}
RESPONSIBILITIES = {"ours": "ours", "not_ours": "not ours"}
CAUSES = {
    "quality": "quality", "process": "process", "design": "design",
    "customer_misuse": "customer misuse", "customer_order": "customer ordered too many",
    "wrong_item": "customer ordered the wrong item", "transport": "transport",
    "not_our_product": "not our product", "force_majeure": "force majeure",
    "wear": "consumable or normal wear", "unauthorised_repair": "unauthorised repair or disassembly",
    "wrong_voltage": "wrong voltage", "out_of_warranty": "out of warranty",
}
OUTCOMES = {"return": "return", "rework": "rework", "repair": "repair",
            "onsite_repair": "on-site repair", "exchange": "exchange", "replenish": "replenish",
            "allowance": "allowance (money)", "compensation": "compensation (money)",
            "other": "other"}
DEPARTMENTS = {"quality": "quality", "manufacturing": "manufacturing", "rd": "R&D",
               "sales": "sales"}
STATUSES = {"awaiting_decision": "to decide", "open": "open", "rejected": "rejected",
            "closed": "closed"}
MARKETS = {"domestic": "domestic", "foreign": "foreign"}
STEPS = {"opened": "entered within the window", "decided": "late complaint decided",
         "replied": "quality's reply", "closed": "closed",
         "issued": "issued", "received": "received", "booked": "booked"}

_LISTS = {"category": CATEGORIES, "severity": SEVERITIES, "responsibility": RESPONSIBILITIES,
          "cause": CAUSES, "outcome": OUTCOMES, "department": DEPARTMENTS, "status": STATUSES,
          "market": MARKETS}


def word(kind: str, code: str | None) -> str:
    """The word for `code` of `kind` ("cause", "outcome" ...); "—" for none, the code itself
    for one this list does not know yet (it is still shown, never hidden)."""
    if not code:
        return "—"
    return _LISTS[kind].get(code, code.replace("_", " "))


def step_word(name: str) -> str:
    """A step of models.closing.case_steps: "replied", or "slip RS2611-0001 booked"."""
    if name.startswith("slip "):
        slip, _, what = name[5:].rpartition(" ")
        return f"slip {slip} {STEPS.get(what, what)}"
    return STEPS.get(name, name)


def step_text(step) -> str:
    """One step of a case (models.closing.Step) in a line: its due date, done date, how late."""
    if step.days_late is None:
        late = ""
    elif step.days_late == 0:
        late = " · on time" if step.done_on else ""
    else:
        days = "working day(s)" if step.working else "day(s)"
        late = f" · {step.days_late} {days} late"
    return (f"{step_word(step.name)}: due {step.due_on or '—'} · "
            f"done {step.done_on or 'not yet'}{late}")
