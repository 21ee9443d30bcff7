"""Home's plot of the return slips issued per month (its title and legend are Textual's)."""
from __future__ import annotations

from textual_plotext import PlotextPlot

from models.lists import MonthlyReturns


class MonthlyPlot(PlotextPlot):
    """A PlotextPlot whose drawing is kept for the next home: at a change of user the next
    person's home shows the same figures at the same size, and plotext's drawing (~35 ms of
    Python on the UI thread) and its reading back into text (~5 ms) are done once."""

    figures: MonthlyReturns | None = None     # what the plot was last given (draw_chart)
    _kept: tuple = (None, None)               # what it was drawn from, the drawing: any home's

    def render(self):
        drawn_from = (self.figures, self.size, self.app.theme)
        if self.figures is None or MonthlyPlot._kept[0] != drawn_from:
            MonthlyPlot._kept = (drawn_from, super().render())
        return MonthlyPlot._kept[1].copy()
