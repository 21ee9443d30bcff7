"""Receiving's words for what came of each command: the queue (tui.work.receiving) tells the
screen an outcome, and this says it (the ack line, the scan log, a question, the bell)."""
from __future__ import annotations

from typing import Any

from rich.cells import set_cell_size

from models.i18n import _, ngettext
from models.numbers import qty
from tui.work.receiving import Count, Refresh
from tui.work.receiving_outcomes import (
    CloseAsked,
    Closed,
    Elsewhere,
    Info,
    Kept,
    NeedsCount,
    Opened,
    Outcome,
    Received,
    Refusal,
    Replayed,
    Undone,
)
from models.words import word


class ShowsOutcomes:
    """Mixed into the receiving screen, whose slip, lines, ack, log and questions it uses."""

    app: Any

    def show_outcome(self, outcome: Outcome) -> None:
        self.show_waiting()
        match outcome:
            case Opened(slip=None):
                self.show_slip(None)
                self.ack("", "")
            case Opened(slip=slip):
                again = self.slip is not None and self.slip.slip_no == slip.slip_no
                self.show_slip(slip)
                if again:
                    pass    # the same slip redrawn: what was said stays
                elif slip.status == "receiving":
                    self.ack(_("slip {slip} open: scan each piece").format(slip=slip.slip_no),
                             "-info")
                else:
                    self.ack(_("slip {slip} is {status}: nothing more can be received").format(
                        slip=slip.slip_no, status=word("slip_status", slip.status)), "-error")
            case Received():
                self.show_received(outcome)
            case Undone(unit_code=code, line=line, label_printed=printed):
                self.update_line(line)
                self.scan_log.mark(code, _("↶ undone"))
                label = (_("its label was printed already: take it off the piece") if printed
                         else _("its label is cancelled"))
                self.ack(_("↶ {code} taken back (line {line} {part}: {received} {unit} "
                           "received); {label}").format(
                    code=code, line=line.line_no, part=line.part_no, received=qty(line.received),
                    unit=line.unit, label=label),
                         "-over" if printed else "-ok")
                self.call_after_refresh(self.app.kick_printer)   # the queue's count, one less
            case CloseAsked(slip=slip, changed=changed):
                self.show_slip(slip)
                if slip.status == "receiving":
                    self.ask_close(slip, changed)
                else:
                    self.ack(_("slip {slip} is {status}: it was closed already").format(
                        slip=slip.slip_no, status=word("slip_status", slip.status)), "-error")
            case Closed(slip_no=slip_no):
                self.show_slip(None)
                self.ack(_("✔ receiving of {slip} closed: signed for what arrived").format(
                    slip=slip_no), "-ok")
            case NeedsCount(part_no=part_no, scan_id=scan_id):
                self.ask_count(part_no, scan_id)
            case Info(text=text):
                self.ack(text, "-info")
            case Elsewhere(target=target):
                self.app.call_later(self.app.show_target, target)
            case Kept(code=code, reason=reason, waiting=waiting):
                self.ack(ngettext(
                    "⏸ {code} kept on this terminal: the database is away ({reason}). {n} scan "
                    "waits here and goes in when it is back",
                    "⏸ {code} kept on this terminal: the database is away ({reason}). {n} scans "
                    "wait here and go in, in order, when it is back", waiting).format(
                        code=code, reason=reason, n=waiting), "-waiting")
                self.log_line(_("⏸ {code} kept until the database is back").format(code=code))
            case Replayed():
                self.show_replayed(outcome)
            case Refusal(text=text, command=command):
                self.ack("✘ " + text, "-error")
                self.app.refuse(text)
                if isinstance(command, Count) and not command.scanned:
                    self.ask_count(command.part_no, command.scan_id, command.qty, f"✘ {text}")

    def show_received(self, outcome: Received) -> None:
        line, blind = outcome.line, self.slip is not None and self.slip.blind
        self.update_line(line)
        state = {"over": _(" — OVER tolerance (allowed {allowed}): put the extra aside").format(
                     allowed=qty(line.allowed)),
                 "within": _(" — within tolerance")}.get(line.status, "")
        again = _(" (this scan was already recorded)") if outcome.replayed else ""
        text = (_("✔ {code} · line {line} {part}: {received} {unit}") if blind else
                _("✔ {code} · line {line} {part}: {received} of {approved} {unit}")).format(
            code=outcome.unit_code, line=line.line_no, part=line.part_no,
            received=qty(line.received), approved=qty(line.approved), unit=line.unit)
        text += ("" if blind else state) + again
        self.ack(text, "-over" if line.status == "over" and not blind else "-ok")
        self.log_line(
            f"{outcome.unit_code}  {set_cell_size(line.part_no, 14)} +{qty(outcome.qty)} {line.unit}  "
            f"→ {qty(line.received)} {line.unit}", outcome.unit_code)
        self.call_after_refresh(self.app.kick_printer)   # the label's work after the ack's frame

    def show_replayed(self, outcome: Replayed) -> None:
        for code, why in outcome.refused:
            self.log_line(_("✘ kept scan {code} refused: {why}").format(code=code, why=why))
            self.app.refuse(_("a scan kept while the database was away was refused: {code}: "
                              "{why}").format(code=code, why=why))
        if outcome.sent:
            n = outcome.sent
            self.log_line(ngettext("✔ {n} kept scan recorded", "✔ {n} kept scans recorded",
                                   n).format(n=n))
            self.ack(ngettext("✔ the database is back: {n} kept scan recorded",
                              "✔ the database is back: {n} kept scans recorded", n).format(n=n),
                     "-ok")
            self.app.kick_printer()
            if self.slip is not None:
                self.put(Refresh())     # the slip the queue has open by then, as it is now
        elif outcome.waiting and outcome.stopped:
            self.ack(ngettext("⏸ {n} scan kept on this terminal: the database is still away "
                              "({reason})", "⏸ {n} scans kept on this terminal: the database is "
                              "still away ({reason})", outcome.waiting).format(
                                  n=outcome.waiting, reason=outcome.stopped), "-waiting")
