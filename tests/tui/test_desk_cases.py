"""The complaint case at the desk (Cases screen, F6): intake, attachments, assessment, closing,
reopening and reminders, each as its role does it; and the printed reminder."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pypdfium2 as pdfium

from models import clock
from models.attachments import list_attachments, read_attachment
from models.cases import assess, get_case
from models.closing import close_case
from models.reminders import issue_reminder, reminder_sheet
from models.db import db
from models.tables import CaseClosing, CaseReminder, CaseReopening, ComplaintCase
from tui.desk.dialogs import FormDialog
from tui.work.reminder_sheet import file_name, reminder_pdf, sheet_image

from ..helpers import case, customer, slip
from .test_desk import desk_test, scan, settle, sign_in, text

OPENED = dt.datetime(2026, 11, 18, 9)


def notices(app) -> str:
    return "\n".join(notice.message for notice in app._notifications)


async def type_in(pilot, value: str) -> None:
    await pilot.press(*value, "enter")


async def clear_and_type(pilot, value: str) -> None:
    await pilot.press("ctrl+u", *value, "enter")


# --- intake -----------------------------------------------------------------------------------

def test_sales_takes_a_complaint_in_with_every_fact_and_a_photo(desk, tmp_path):
    customer(desk, "C7")
    photo = tmp_path / "dent.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 a photo of the dent")

    @desk_test
    async def body(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "sales")
        await pilot.press("f6")
        await scan(pilot, "C7")                     # the customer's code, scanned: no case yet
        await pilot.press("f8")
        assert isinstance(app.screen, FormDialog)
        await pilot.press("enter")                  # customer: C7, from the scan
        for value in ("PO-77", "P-9", "100", "2026-11-16", "2026-11-17"):
            await type_in(pilot, value)
        await pilot.press("enter")                  # defective quantity: known
        await type_in(pilot, "7")
        await pilot.press("1", "2")                 # appearance, severe
        for value in ("flange", "dent", "at delivery", "replace the parts"):
            await type_in(pilot, value)
        await type_in(pilot, "2026-11-17x")         # a letter is not taken in a date
        await pilot.press(*str(photo), "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, FormDialog)
        made = ComplaintCase.get()
        assert made.case_no in notices(app)
        assert made.case_no in text(app, "#case-facts")
        assert "reply due 2026-11-20" in text(app, "#case-facts")
        assert "dent.jpg" in text(app, "#case-timeline")
        assert "complaint came in 2026-11-17" in text(app, "#case-facts")

    with clock.frozen(OPENED):
        body(desk)
    made = ComplaintCase.get()
    assert (made.customer.code, made.order_no, made.part_no, made.shipped_qty, made.defect_qty,
            made.delivered_on, made.customer_received_on, made.category, made.severity,
            made.defect_position, made.defect, made.defect_when, made.request,
            made.complaint_received_on, made.opened_by.name, made.status) == \
        ("C7", "PO-77", "P-9", D(100), D(7), dt.date(2026, 11, 16), dt.date(2026, 11, 17),
         "appearance", "severe", "flange", "dent", "at delivery", "replace the parts",
         dt.date(2026, 11, 17), "sales", "open")
    (info,) = list_attachments(made)
    assert read_attachment(made, info.id)[1] == photo.read_bytes()
    assert (info.file_name, info.content_type, info.added_by) == ("dent.jpg", "image/jpeg", "sales")


def test_defect_quantity_not_yet_known_then_filled_in(desk, tmp_path):
    customer(desk)

    @desk_test
    async def body(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "sales")
        await pilot.press("f6")
        await pilot.press("f8")
        for value in ("C1", "PO-1", "P-1", "", "", "2026-11-17"):
            await type_in(pilot, value)
        await pilot.press("down", "enter")          # not yet determined
        await type_in(pilot, "")
        await pilot.press("1", "1")
        await pilot.press("ctrl+s")
        await settle(pilot)
        made = ComplaintCase.get()
        assert made.defect_qty is None
        assert "not yet determined" in text(app, "#case-facts")
        await pilot.press("ctrl+d")
        await type_in(pilot, "3")
        await settle(pilot)
        assert "defective 3" in text(app, "#case-facts")
        await pilot.press("ctrl+d")                 # a second time: said why not
        assert "already has its defective quantity" in notices(app)

    with clock.frozen(OPENED):
        body(desk)
    assert ComplaintCase.get().defect_qty == D(3)


def test_intake_refusals_stay_on_the_form_and_write_nothing(desk):
    customer(desk)

    @desk_test
    async def body(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "sales")
        await pilot.press("f6", "f8")
        for value in ("C1", "PO-1", "P-1", "", "", "2026-11-17"):
            await type_in(pilot, value)
        await pilot.press("ctrl+s")                  # no category, no defective quantity
        await settle(pilot)
        assert "choose the category and the severity" in text(app, "#dialog-error")
        app.screen.form.picked.update(category=1, severity=1)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "give the defective quantity, or choose 'not yet determined'" in \
            text(app, "#dialog-error")
        app.screen.form.set("defect_qty", "2")
        app.screen.form.set("files", "/no/such/photo.jpg")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "no file '/no/such/photo.jpg'" in text(app, "#dialog-error")
        assert ComplaintCase.select().count() == 0

    with clock.frozen(OPENED):
        body(desk)


def test_a_role_that_may_not_is_told_why(desk):
    customer(desk)
    c = case(desk)

    @desk_test
    async def body(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "clerk")
        await pilot.press("f6")
        await pilot.press("f8")
        assert "clerk is clerk: only inspector, sales, supervisor or admin may open" in notices(app)
        await scan(pilot, c.case_no)
        await pilot.press("f9", "ctrl+t")
        assert "may record an assessment" in notices(app)
        assert "may send reminders" in notices(app)
        assert not isinstance(app.screen, FormDialog)

    body(desk)


# --- attachments --------------------------------------------------------------------------------

def test_attach_then_save_an_attachment_to_a_folder(desk, tmp_path):
    customer(desk)
    c = case(desk)
    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    report = tmp_path / "in" / "report.pdf"
    report.write_bytes(b"%PDF-1.4 the customer's report")

    @desk_test
    async def body(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "inspector")
        await pilot.press("f6")
        await scan(pilot, c.case_no)
        await pilot.press("ctrl+o")
        assert "has no attachments" in notices(app)
        await pilot.press("ctrl+a")
        await type_in(pilot, str(report))
        await settle(pilot)
        assert "report.pdf · application/pdf · " in text(app, "#case-timeline")
        await pilot.press("ctrl+o", "enter")
        await clear_and_type(pilot, str(tmp_path / "out"))
        await settle(pilot)
        assert f"saved {tmp_path / 'out' / 'report.pdf'}" in notices(app)

    body(desk)
    assert (tmp_path / "out" / "report.pdf").read_bytes() == report.read_bytes()


# --- assessment ---------------------------------------------------------------------------------

def test_inspector_assesses_with_only_the_causes_of_the_responsibility(desk):
    customer(desk)
    c = case(desk)

    @desk_test
    async def body(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "inspector")
        await pilot.press("f6")
        await scan(pilot, c.case_no)
        assert "reply due 2026-11-19" in text(app, "#case-facts")
        await pilot.press("f9")
        await pilot.press("2")                      # not ours: its causes only
        shown = [label for _, label in app.screen.form.fields[1].choices]
        assert "customer ordered too many" in shown and "quality" not in shown
        await pilot.press("2")                      # customer ordered too many
        await pilot.press("7")                      # allowance
        await type_in(pilot, "150.50")
        await type_in(pilot, "agreed by phone")
        await settle(pilot)
        facts = text(app, "#case-facts")
        assert "not ours" in facts and "customer ordered too many" in facts
        assert "allowance (money) 150.50" in facts and "replied 2026-11-18" in facts

    with clock.frozen(OPENED):
        body(desk)
    assessed = get_case(c.case_no)
    assert (assessed.responsibility, assessed.cause, assessed.outcome, assessed.outcome_amount) \
        == ("not_ours", "customer_order", "allowance", D("150.50"))


# --- closing and reopening ----------------------------------------------------------------------

def test_inspector_refused_while_work_is_unfinished_supervisor_closes_and_reopens(desk):
    customer(desk)
    c = case(desk)
    s = slip(desk, c.case_no, ("P-1", "pcs", "5", "1"))
    with clock.frozen(OPENED):
        assess(desk.inspector, c.case_no, "ours", "quality", "return")

    @desk_test
    async def as_inspector(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "inspector")
        await pilot.press("f6")
        await scan(pilot, c.case_no)
        await pilot.press("f10")
        assert f"slip {s.slip_no} is not booked" in str(app.screen.query_one(".dialog-intro")
                                                        .render())
        await pilot.press("enter")
        await settle(pilot)
        assert "cannot be closed yet" in text(app, "#dialog-error")
        assert "a supervisor may close it anyway" in text(app, "#dialog-error")
        await pilot.press("escape")
        await pilot.press("ctrl+e")
        assert "only supervisor or admin may reopen" in notices(app)

    @desk_test
    async def as_supervisor(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "supervisor")
        await pilot.press("f6")
        await scan(pilot, c.case_no)
        await pilot.press("f10", "enter")
        await settle(pilot)
        assert "give the reason to close it anyway" in text(app, "#dialog-error")
        await type_in(pilot, "customer withdrew the return")
        await settle(pilot)
        assert "closed on 2026-12-03 (due 2026-12-01)" in text(app, "#case-deadline")
        assert "closed: due 2026-12-01 · done 2026-12-03 · 2 days late" in \
            text(app, "#case-timeline")
        await pilot.press("ctrl+e")
        await type_in(pilot, "the customer did not accept the outcome")
        await settle(pilot)
        assert "to close by 2026-12-01" in text(app, "#case-deadline")

    with clock.frozen(dt.datetime(2026, 12, 3, 10)):
        as_inspector(desk)
        assert get_case(c.case_no).status == "open" and CaseClosing.select().count() == 0
        as_supervisor(desk)
    closing = CaseClosing.get()
    assert (closing.by.name, closing.reason, closing.days_late) == \
        ("supervisor", "customer withdrew the return", 2)
    assert CaseReopening.get().reason == "the customer did not accept the outcome"
    assert get_case(c.case_no).status == "open"


# --- reminders ----------------------------------------------------------------------------------

def test_supervisor_sends_a_reminder_and_saves_it_as_a_pdf(desk, tmp_path):
    customer(desk)
    c = case(desk)

    @desk_test
    async def body(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "supervisor")
        await pilot.press("f6")
        await scan(pilot, c.case_no)
        await pilot.press("ctrl+w")
        assert "has no reminders" in notices(app)
        await pilot.press("ctrl+t", "enter")        # no department chosen
        await settle(pilot)
        await type_in(pilot, "")
        await settle(pilot)
        assert "choose the department" in text(app, "#dialog-error")
        await pilot.press("shift+tab", "2")          # manufacturing
        await type_in(pilot, "the rework is late")
        await settle(pilot)
        assert "1. to manufacturing on 2026-12-05 by supervisor (4 days overdue)" in \
            text(app, "#case-timeline")
        await pilot.press("ctrl+w", "enter")
        await clear_and_type(pilot, str(tmp_path))
        await settle(pilot)
        assert "reminder-" in notices(app)

    with clock.frozen(dt.datetime(2026, 12, 5, 10)):
        body(desk)
    reminder = CaseReminder.get()
    assert (reminder.department, reminder.note, reminder.by.name) == \
        ("manufacturing", "the rework is late", "supervisor")
    saved = tmp_path / f"reminder-{c.case_no}-1.pdf"
    pdf = pdfium.PdfDocument(saved.read_bytes())
    assert len(pdf) == 1
    assert pdf.get_metadata_dict()["Title"] == f"Reminder {c.case_no}/1"


def test_the_reminder_sheet_is_one_a4_page_with_the_chinese_name(desk):
    customer(desk, "C9")
    from models.customers import save_customer
    save_customer(desk.supervisor, "C9", "上海精密機電有限公司", "domestic", None)
    c = case(desk, code="C9")
    with clock.frozen(dt.datetime(2026, 12, 5, 10)):
        issue_reminder(desk.supervisor, c.case_no, "quality")
        first = reminder_sheet(CaseReminder.get().id)
        data = reminder_pdf(first)
    assert file_name(first) == f"reminder-{c.case_no}-1.pdf"
    pdf = pdfium.PdfDocument(data)
    assert len(pdf) == 1
    width, height = pdf[0].get_size()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    page = pdf[0].render(scale=1).to_pil().convert("L")
    assert page.getextrema()[0] < 64                # something is printed on it
    # The Chinese name is drawn: one character fewer changes the page.
    from dataclasses import replace
    shorter = sheet_image(replace(first, customer_name="上海精密機電有限公"))
    assert sheet_image(first).tobytes() != shorter.tobytes()
    # However long the steps and notes, it stays one page.
    long = replace(first, note="很長的備註 " * 400, waiting_on=["x" * 80] * 60)
    assert len(pdfium.PdfDocument(reminder_pdf(long))) == 1


def test_closed_case_refuses_a_reminder_in_the_dialog(desk):
    customer(desk)
    c = case(desk)
    with clock.frozen(OPENED):
        assess(desk.inspector, c.case_no, "ours", "quality", "return")
        close_case(desk.inspector, c.case_no)

    @desk_test
    async def body(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "supervisor")
        await pilot.press("f6")
        await scan(pilot, c.case_no)
        await pilot.press("ctrl+t", "1")
        await type_in(pilot, "")
        await settle(pilot)
        assert "only an open case is chased" in text(app, "#dialog-error")

    with clock.frozen(dt.datetime(2026, 12, 5, 10)):
        body(desk)
    assert CaseReminder.select().count() == 0


def test_saving_never_replaces_a_file_already_in_the_folder(tmp_path):
    from tui.desk.case_forms import save_into
    (tmp_path / "dent.jpg").write_bytes(b"someone else's photo")
    assert save_into(str(tmp_path), "dent.jpg", b"ours") == tmp_path / "dent (2).jpg"
    assert save_into(str(tmp_path), "dent.jpg", b"ours again") == tmp_path / "dent (3).jpg"
    assert (tmp_path / "dent.jpg").read_bytes() == b"someone else's photo"
    assert (tmp_path / "dent (3).jpg").read_bytes() == b"ours again"


def test_the_intake_form_scrolls_to_the_field_at_80x24(desk):
    import asyncio

    from textual.containers import VerticalScroll

    from models.db import db
    from tui.desk.app import make_app

    from .test_desk import journal_path

    async def main():
        app = make_app(desk.url, journal=journal_path(desk))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await sign_in(pilot, "sales")
            await pilot.press("f6", "f8")
            await settle(pilot)
            scroller = app.screen.query_one(VerticalScroll)
            dialog = app.screen.query_one(".dialog")
            assert dialog.region.right <= 80 and dialog.region.bottom <= 24
            assert scroller.scroll_y == 0
            await pilot.press(*["tab"] * 15)             # the last field: attachments
            await pilot.pause()
            form = app.screen.form
            assert form.fields[form.current].name == "files"
            assert scroller.scroll_y > 0
            # its label is inside the visible part of the scroll area
            top = scroller.max_scroll_y
            assert scroller.scroll_y == top or scroller.scroll_y + scroller.size.height \
                >= form.virtual_size.height - 2
    asyncio.run(main())
    db.connect(reuse_if_open=True)


def test_text_stored_with_escapes_is_shown_inert(desk):
    """Text stored before the checks (an old version, a hand in the database) never reaches the
    terminal raw: the case list and the case's facts show its escapes as placeholders."""
    customer(desk, "C1")
    made = case(desk, "C1")
    mark = "%s" if desk.url.startswith("postgres") else "?"
    db.execute_sql(f"UPDATE complaint_case SET order_no = {mark}, request = {mark}",
                   ("PO\x1b[2J\x1b]0;pwned\x07", "credit \u202enote"))

    @desk_test
    async def body(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "sales")
        await pilot.press("f6")
        await scan(pilot, made.case_no)
        facts = text(app, "#case-facts")
        assert "order PO<ESC>[2J<ESC>]0;pwned<U+0007>" in facts
        assert "credit <U+202E>note" in facts
        row = app.screen.query_one("#cases").render_line(1).text
        assert "PO<ESC>" in row
        everything = facts + row
        assert "\x1b" not in everything and "\x07" not in everything and "\u202e" not in everything
    body(desk)


def test_the_case_pane_shows_words_not_codes_in_chinese(desk):
    """Issue 16/18: model_quantity, not_ours, customer_order were shown raw in the case pane;
    in zh-Hant they are the glossary's words, and the pane's own words are Chinese too."""
    from models.i18n import set_language
    from tui.work.case_view import case_detail
    customer(desk)
    c = case(desk, category="model_quantity")
    with clock.frozen(OPENED):
        assess(desk.inspector, c.case_no, "not_ours", "customer_order", "return")
        set_language("zh-Hant")
        try:
            detail = case_detail(c.case_no)
        finally:
            set_language("en")
    for code in ("model_quantity", "not_ours", "customer_order", "model or quantity"):
        assert code not in detail.facts
    assert "型號和數量" in detail.facts and "非本公司責任" in detail.facts
    assert "客戶多訂" in detail.facts and "處理方式：退貨" in detail.facts
    assert "步驟：" in detail.events and "歷程：" in detail.events


@desk_test
async def test_a_case_typed_while_the_timeline_has_the_focus_opens(desk, pilot):
    """Tab into a case's timeline (to scroll it), then another case's number typed: the scan
    field takes the keys back, and the focus with them; they were lost."""
    customer(desk)
    first, second = case(desk), case(desk)
    app = pilot.app
    await sign_in(pilot, "supervisor")
    await pilot.press("f6")
    await settle(pilot)
    await scan(pilot, first.case_no)
    assert first.case_no in text(app, "#case-facts")
    await pilot.press("tab")
    await settle(pilot)
    assert app.focused is app.screen.query_one("#case-events")
    await type_in(pilot, second.case_no)
    await settle(pilot)
    assert second.case_no in text(app, "#case-facts")
    assert app.focused is app.screen.query_one("#scan")
