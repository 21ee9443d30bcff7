"""The pure rules, at their boundaries: no database needed."""
import datetime as dt
from decimal import Decimal as D

import pytest

from models.fields import to_decimal
from models.reconciliation import allowed_qty, figures, line_status, tolerance_in_force
from models.workdays import add_working_days, add_years, is_working_day, month_bounds


class TestTolerance:
    def test_line_override_wins(self):
        assert tolerance_in_force(D("1"), D("10"), D("5")) == D("1")

    def test_customer_tolerance_when_line_has_none(self):
        assert tolerance_in_force(None, D("10"), D("5")) == D("10")

    def test_explicit_zero_is_not_inherited(self):
        assert tolerance_in_force(None, D("0"), D("5")) == D("0")
        assert tolerance_in_force(D("0"), D("10"), D("5")) == D("0")

    def test_company_default_when_nobody_named_one(self):
        assert tolerance_in_force(None, None, D("5")) == D("5")


class TestAllowed:
    def test_formula(self):
        assert allowed_qty(D("100"), D("5")) == D("105")
        assert allowed_qty(D("12.5"), D("2.5")) == D("12.8125")

    def test_exact_not_float(self):
        # 0.1 + 0.2 style errors would make 110.00000000000001 here.
        assert allowed_qty(D("100"), D("10")) == D("110")
        assert allowed_qty(D("0.3"), D("10")) == D("0.33")


class TestLineStatus:
    @pytest.mark.parametrize("received, status", [
        ("0", "open"), ("0.001", "under"), ("99", "under"), ("100", "within"),
        ("105", "within"),          # exactly at allowed is within
        ("105.001", "over"),        # one step past it is over
        ("106", "over"),
    ])
    def test_boundaries(self, received, status):
        assert line_status(D("100"), D(received), D("105")) == status

    def test_decided_only_applies_to_over(self):
        assert line_status(D("100"), D("106"), D("105"), decided=True) == "decided"
        assert line_status(D("100"), D("104"), D("105"), decided=True) == "within"

    def test_fractional_kg(self):
        f = figures(D("12.5"), D("12.8125"), D("2.5"))
        assert (f.status, f.book_qty) == ("within", D("12.8125"))
        f = figures(D("12.5"), D("12.813"), D("2.5"))
        assert (f.status, f.book_qty) == ("over", None)

    def test_book_quantities(self):
        assert figures(D("10"), D("0"), D("5")).book_qty is None          # open
        assert figures(D("10"), D("7"), D("5")).book_qty == D("7")        # under: actual
        assert figures(D("10"), D("10.5"), D("5")).book_qty == D("10.5")  # within: actual
        assert figures(D("10"), D("11"), D("5")).book_qty is None         # over: undecided
        assert figures(D("10"), D("11"), D("5"), D("10.5")).book_qty == D("10.5")

    def test_zero_tolerance(self):
        assert figures(D("10"), D("10"), D("0")).status == "within"
        assert figures(D("10"), D("10.001"), D("0")).status == "over"


class TestWorkingDays:
    friday = dt.date(2026, 11, 20)

    def test_weekend_is_skipped(self):
        assert add_working_days(self.friday, 1) == dt.date(2026, 11, 23)   # Monday
        assert add_working_days(self.friday, 3) == dt.date(2026, 11, 25)   # Wednesday

    def test_holiday_is_skipped(self):
        holidays = {dt.date(2026, 11, 24)}
        assert add_working_days(self.friday, 3, holidays) == dt.date(2026, 11, 26)

    def test_make_up_saturday_counts(self):
        saturday = dt.date(2026, 11, 21)
        assert not is_working_day(saturday)
        assert is_working_day(saturday, extra_workdays={saturday})
        assert add_working_days(self.friday, 1, extra_workdays={saturday}) == saturday

    def test_national_day_week(self):
        holidays = {dt.date(2026, 10, d) for d in (1, 2, 5, 6, 7)}
        # Received on the Wednesday before the holiday: Sep 30 -> Oct 8, 9, 12.
        assert add_working_days(dt.date(2026, 9, 30), 3, holidays) == dt.date(2026, 10, 12)

    def test_leap_day_warranty(self):
        assert add_years(dt.date(2028, 2, 29), 1) == dt.date(2029, 2, 28)
        assert add_years(dt.date(2026, 11, 20), 1) == dt.date(2027, 11, 20)

    def test_month_bounds(self):
        assert month_bounds("2026-12") == (dt.date(2026, 12, 1), dt.date(2027, 1, 1))
        with pytest.raises(ValueError, match="not YYYY-MM"):
            month_bounds("2026-13")


class TestDecimals:
    def test_parses_exactly(self):
        assert to_decimal("12.345", 3) == D("12.345")
        assert to_decimal("-0", 3) == D("0")

    @pytest.mark.parametrize("text, message", [
        ("12.3456", "more than 3 decimal places"), ("abc", "not a number"),
        ("NaN", "not a number"), ("Infinity", "not a number"), ("1" + "0" * 20, "too large"),
        # Decimal takes these; a person's number is ASCII digits and one point (issue 17).
        ("1e20", "not a number"), ("1E1", "not a number"), ("1_0", "not a number"),
        ("\uff13", "not a number"), ("\u0663", "not a number"), ("+1", "not a number"),
        (".5", "not a number"), ("5.", "not a number"), ("1.2.3", "not a number"),
        ("- 1", "not a number"), ("", "not a number"),
    ])
    def test_refuses(self, text, message):
        with pytest.raises(ValueError, match=message):
            to_decimal(text, 3)

    def test_refuses_floats(self):
        with pytest.raises(TypeError):
            to_decimal(0.1, 3)
