"""The words a person reads for the codes of the desk, all in one place: English, marked for the
catalogs with their kind as context (C_), translated where shown (word()). docs/glossary.md
gives each its Chinese words and the procedure they come from. Codes stay codes in files,
exports and the database; only what is shown changes. Used by the screens, the case view and
the printed reminder."""
from __future__ import annotations

from .i18n import C_, _, ngettext, pgettext

# A complaint case (models.cases, models.reminders, models.customers).
CATEGORIES = {
    "appearance": C_("category", "appearance"),
    "model_quantity": C_("category", "model or quantity"),
    "performance": C_("category", "performance"),
}
SEVERITIES = {
    "minor": C_("severity", "minor"),
    "severe": C_("severity", "severe"),
}
RESPONSIBILITIES = {
    "ours": C_("responsibility", "ours"),
    "not_ours": C_("responsibility", "not ours"),
}
CAUSES = {
    "quality": C_("cause", "quality"),
    "process": C_("cause", "process"),
    "design": C_("cause", "design"),
    "customer_misuse": C_("cause", "customer misuse"),
    "customer_order": C_("cause", "customer ordered too many"),
    "wrong_item": C_("cause", "customer ordered the wrong item"),
    "transport": C_("cause", "transport"),
    "not_our_product": C_("cause", "not our product"),
    "force_majeure": C_("cause", "force majeure"),
    "wear": C_("cause", "consumable or normal wear"),
    "unauthorised_repair": C_("cause", "unauthorised repair or disassembly"),
    "wrong_voltage": C_("cause", "wrong voltage"),
    "out_of_warranty": C_("cause", "out of warranty"),
}
OUTCOMES = {
    "return": C_("outcome", "return"),
    "rework": C_("outcome", "rework"),
    "repair": C_("outcome", "repair"),
    "onsite_repair": C_("outcome", "on-site repair"),
    "exchange": C_("outcome", "exchange"),
    "replenish": C_("outcome", "replenish"),
    "allowance": C_("outcome", "allowance (money)"),
    "compensation": C_("outcome", "compensation (money)"),
    "other": C_("outcome", "other"),
}
DEPARTMENTS = {
    "quality": C_("department", "quality"),
    "manufacturing": C_("department", "manufacturing"),
    "rd": C_("department", "R&D"),
    "sales": C_("department", "sales"),
}
STATUSES = {
    "awaiting_decision": C_("status", "to decide"),
    "open": C_("status", "open"),
    "rejected": C_("status", "rejected"),
    "closed": C_("status", "closed"),
}
LATE_DECISIONS = {
    "accept": C_("late_decision", "accept"),
    "accept_paid": C_("late_decision", "accept against payment"),
    "reject": C_("late_decision", "not accepted"),
}
MARKETS = {
    "domestic": C_("market", "domestic"),
    "foreign": C_("market", "foreign"),
}
STEPS = {
    "opened": C_("step", "entered within the window"),
    "decided": C_("step", "late complaint decided"),
    "replied": C_("step", "quality's reply"),
    "closed": C_("step", "closed"),
    "issued": C_("step", "issued"),
    "received": C_("step", "received"),
    "booked": C_("step", "booked"),
}

# A return slip and its lines (models.slips, models.reconciliation).
SLIP_STATUSES = {
    "awaiting_approval": C_("slip_status", "awaiting approval"),
    "receiving": C_("slip_status", "receiving"),
    "received": C_("slip_status", "received"),
    "booked": C_("slip_status", "booked"),
}
HANDLINGS = {
    "return": C_("handling", "return"),
    "reprocess": C_("handling", "reprocess"),
}
LINE_STATUSES = {
    "open": C_("line_status", "nothing received"),
    "under": C_("line_status", "under"),
    "within": C_("line_status", "within"),
    "over": C_("line_status", "over tolerance"),
    "decided": C_("line_status", "decided"),
}
# The same, in a table's narrow status column (Finance: 7 cells).
LINE_STATUSES_SHORT = {
    "open": C_("line_status_short", "open"),
    "under": C_("line_status_short", "under"),
    "within": C_("line_status_short", "within"),
    "over": C_("line_status_short", "over"),
    "decided": C_("line_status_short", "decided"),
}
LINE_DECISIONS = {
    "accept_actual": C_("line_decision", "accept actual"),
    "cap_allowed": C_("line_decision", "cap at allowed"),
    "approved_only": C_("line_decision", "approved only"),
}

# A returned unit's state (models.tables.Unit.state).
UNIT_STATES = {
    "awaiting": C_("unit_state", "waiting for inspection"),
    "inspected": C_("unit_state", "inspected"),
    "reversed": C_("unit_state", "reversed"),
}

# Inspection (models.inspection).
INSPECTION_RESULTS = {
    "pass": C_("inspection_result", "pass"),
    "fail": C_("inspection_result", "fail"),
    "split": C_("inspection_result", "partly passed"),
}
DISPOSITIONS = {
    "restock": C_("disposition", "restock (back into stock)"),
    "rework": C_("disposition", "rework"),
    "repair": C_("disposition", "repair"),
    "scrap": C_("disposition", "scrap"),
    "return_supplier": C_("disposition", "return to the supplier"),
    "return_customer": C_("disposition", "return to the customer"),
}
DEFECT_CLASSES = {
    "appearance": C_("defect_class", "appearance"),
    "dimension": C_("defect_class", "dimension"),
    "function": C_("defect_class", "function"),
    "material": C_("defect_class", "material"),
    "packaging": C_("defect_class", "packaging"),
    "wrong_item": C_("defect_class", "wrong item"),
    "missing_parts": C_("defect_class", "missing parts"),
    "other": C_("defect_class", "other"),
}

# People (models.access).
ROLES = {
    "clerk": C_("role", "clerk"),
    "inspector": C_("role", "inspector"),
    "finance": C_("role", "finance"),
    "sales": C_("role", "sales"),
    "supervisor": C_("role", "supervisor"),
    "admin": C_("role", "admin"),
}

# Reasons the desk writes itself (models.receiving.undo_last): stored as this English text, as
# they always were, so the data stays stable; shown in the reader's language (reason_word).
DESK_REASONS = {
    "undo last scan": C_("reason", "undo last scan"),
}

_LISTS = {"category": CATEGORIES, "severity": SEVERITIES, "responsibility": RESPONSIBILITIES,
          "cause": CAUSES, "outcome": OUTCOMES, "department": DEPARTMENTS, "status": STATUSES,
          "late_decision": LATE_DECISIONS, "market": MARKETS, "slip_status": SLIP_STATUSES,
          "handling": HANDLINGS, "line_status": LINE_STATUSES,
          "line_status_short": LINE_STATUSES_SHORT, "line_decision": LINE_DECISIONS,
          "disposition": DISPOSITIONS, "defect_class": DEFECT_CLASSES, "role": ROLES,
          "step": STEPS, "unit_state": UNIT_STATES,
          "inspection_result": INSPECTION_RESULTS}


def word(kind: str, code: str | None) -> str:
    """The word for `code` of `kind` ("cause", "outcome" ...) in the current language; "—" for
    none, the code itself for one this list does not know yet (it is still shown, never
    hidden)."""
    if not code:
        return "—"
    known = _LISTS[kind].get(code)
    return pgettext(kind, known) if known else code.replace("_", " ")


def reason_word(text: str) -> str:
    """A stored reason as shown: the desk's own (DESK_REASONS) in words, a person's as typed."""
    known = DESK_REASONS.get(text)
    return pgettext("reason", known) if known else text


def words(kind: str, codes) -> tuple[tuple[str, str], ...]:
    """(code, word) for each of `codes`, in their order: a form's choices."""
    return tuple((code, word(kind, code)) for code in codes)


def step_word(name: str) -> str:
    """A step of models.closing.case_steps: "replied", or "slip RS2611-0001 booked"."""
    if name.startswith("slip "):
        slip, _space, what = name[5:].rpartition(" ")
        return _("slip {slip} {step}").format(slip=slip, step=_step(what))
    return _step(name)


def _step(name: str) -> str:
    return pgettext("step", STEPS[name]) if name in STEPS else name


def step_text(step) -> str:
    """One step of a case (models.closing.Step) in a line: its due date, done date, how late."""
    if step.days_late is None:
        late = ""
    elif step.days_late == 0:
        late = _(" · on time") if step.done_on else ""
    elif step.working:
        late = ngettext(" · {n} working day late", " · {n} working days late",
                        step.days_late).format(n=step.days_late)
    else:
        late = ngettext(" · {n} day late", " · {n} days late", step.days_late).format(n=step.days_late)
    return _("{step}: due {due} · done {done}{late}").format(
        step=step_word(step.name), due=step.due_on or "—", done=step.done_on or _("not yet"),
        late=late)
