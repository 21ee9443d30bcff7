"""The full-screen desk. For now: the open slips, read-only (the full desk is issue 3)."""
from __future__ import annotations

from textual import work
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

from models import connect
from models.tables import ComplaintCase, Customer, Slip


class DeskApp(App):
    TITLE = "Returns Desk"
    SUB_TITLE = "open slips"
    BINDINGS = [("q", "quit", "Quit"), ("r", "refresh", "Refresh")]

    def __init__(self, db_url: str | None = None):
        super().__init__()
        self.db_url = db_url

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="slips", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("slip", "case", "customer", "status", "issued")
        self.action_refresh()

    @work(thread=True, exclusive=True)
    def action_refresh(self) -> None:
        database = connect(self.db_url)
        with database.connection_context():
            rows = list(Slip.select(Slip.slip_no, ComplaintCase.case_no, Customer.code, Slip.status,
                                    Slip.issued_on)
                        .join(ComplaintCase).join(Customer)
                        .where(Slip.status != "booked").order_by(Slip.issued_on).limit(500).tuples())
        self.call_from_thread(self._show, rows)

    def _show(self, rows) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for row in rows:
            table.add_row(*(str(value) for value in row))


def make_app(db_url: str | None = None) -> DeskApp:
    return DeskApp(db_url)
