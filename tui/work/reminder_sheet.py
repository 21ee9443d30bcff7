"""A reminder (催辦單) on one A4 page, as a PDF: what models.reminders.reminder_sheet gives,
drawn with Pillow. Chinese names print with a CJK font found by labels.fonts; without one the
page still prints, those characters left out (labels.fonts warns and says what to install)."""
from __future__ import annotations

import io
from collections.abc import Iterator

from PIL import Image, ImageDraw, ImageFont

from labels.fonts import cjk_font, latin_font, needs_cjk, without_cjk
from models.i18n import _, ngettext
from models.reminders import ReminderSheet
from models.words import step_text, word

DPI = 150
PAGE = (round(210 / 25.4 * DPI), round(297 / 25.4 * DPI))     # A4, portrait
MARGIN = round(18 / 25.4 * DPI)
BODY, SMALL, TITLE = 30, 26, 52                                 # pixels at 150 dpi

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _font(size: int, text: str, bold: bool = False) -> tuple[Font, str]:
    """The font that draws `text`, and the text it can draw (Chinese only with a CJK font)."""
    if needs_cjk(text):
        font = cjk_font(size)
        if font is not None:
            return font, text
        text = without_cjk(text)
    return latin_font(size, bold), text


def _wrap(text: str, font: Font, width: int) -> Iterator[str]:
    """`text` cut into lines no wider than `width` pixels, at spaces where it can be (Chinese
    has none: there it is cut between characters)."""
    line = ""
    for char in text:
        if font.getlength(line + char) <= width:
            line += char
            continue
        cut = line.rfind(" ")
        if cut > len(line) // 2:
            yield line[:cut]
            line = line[cut + 1:] + char
        else:
            yield line
            line = char.lstrip()
    if line:
        yield line


class _Page:
    def __init__(self) -> None:
        self.image = Image.new("L", PAGE, 255)
        self.draw = ImageDraw.Draw(self.image)
        self.y = MARGIN
        self.full = False

    def text(self, text: str, size: int = BODY, bold: bool = False, indent: int = 0) -> None:
        font, text = _font(size, text, bold)
        left = MARGIN + indent
        for line in _wrap(text, font, PAGE[0] - MARGIN - left):
            if self.y + size * 1.4 > PAGE[1] - MARGIN:
                if not self.full:      # one page: what does not fit is said to be left out
                    more_font, more = _font(SMALL, _("… (more on the case at the desk)"))
                    self.draw.text((left, self.y), more, font=more_font, fill=0)
                self.full = True
                self.y = PAGE[1]
                return
            self.draw.text((left, self.y), line, font=font, fill=0)
            self.y += round(size * 1.4)

    def rule(self) -> None:
        self.y += 8
        self.draw.line((MARGIN, self.y, PAGE[0] - MARGIN, self.y), fill=0, width=2)
        self.y += 16

    def gap(self) -> None:
        self.y += BODY // 2


def sheet_image(sheet: ReminderSheet) -> Image.Image:
    """The page as an image (grey, 150 dpi)."""
    page = _Page()
    page.text(_("催辦單  Reminder"), TITLE, bold=True)
    page.text(_("No. {number}").format(number=sheet.reminder_no), BODY, bold=True)
    page.rule()
    page.text(_("To: {department}").format(department=word("department", sheet.department)),
              BODY, bold=True)
    page.text(_("From: {name}, {at}").format(name=sheet.issued_by,
                                             at=f"{sheet.issued_at:%Y-%m-%d %H:%M}"))
    overdue = ngettext("Case {case} is {n} day overdue: it was due to close by {due}.",
                       "Case {case} is {n} days overdue: it was due to close by {due}.",
                       sheet.days_overdue).format(case=sheet.case_no, n=sheet.days_overdue,
                                                  due=sheet.due_on)
    if sheet.earlier_reminders:
        overdue += " " + ngettext("Reminded {n} time before.", "Reminded {n} times before.",
                                  sheet.earlier_reminders).format(n=sheet.earlier_reminders)
    page.text(overdue, bold=True)
    if sheet.note:
        page.text(_("Note: {note}").format(note=sheet.note))
    page.rule()
    page.text(_("Customer: {code} {name} ({market})").format(
        code=sheet.customer_code, name=sheet.customer_name, market=word("market", sheet.market)))
    page.text(_("Order {order} · part {part}").format(order=sheet.order_no, part=sheet.part_no))
    page.text(_("{category}, {severity}").format(category=word("category", sheet.category),
                                                 severity=word("severity", sheet.severity)))
    page.text(_("Defect: {defect}").format(defect=sheet.defect or "—"))
    page.text(_("The customer asks for: {request}").format(request=sheet.request or "—"))
    page.text(_("Opened {opened} · accepted {accepted}").format(
        opened=sheet.opened_on, accepted=sheet.accepted_on or "—"))
    page.gap()
    page.text(_("Waiting for:"), bold=True)
    for what in sheet.waiting_on or [_("nothing left but closing the case")]:
        page.text(f"• {what}", indent=20)
    page.gap()
    page.text(_("Steps (due · done · days late)"), bold=True)
    for step in sheet.steps:
        page.text(step_text(step), SMALL, indent=20)
    page.gap()
    page.text(_("Done on: ____________    Signed: ____________"), BODY)
    return page.image


def reminder_pdf(sheet: ReminderSheet) -> bytes:
    """The reminder as a one-page A4 PDF."""
    out = io.BytesIO()
    # The PDF's title and subject: what a viewer shows in its title bar and file properties.
    title = _("Reminder {reminder}").format(reminder=sheet.reminder_no)
    subject = _("case {case} to {department}").format(
        case=sheet.case_no, department=word("department", sheet.department))
    sheet_image(sheet).save(out, "PDF", resolution=DPI, title=title, subject=subject)
    return out.getvalue()


def file_name(sheet: ReminderSheet) -> str:
    """reminder-2611-003-2.pdf"""
    return f"reminder-{sheet.reminder_no.replace('/', '-')}.pdf"
