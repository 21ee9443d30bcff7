"""The full-screen desk (Textual): the app, its screens, widgets and styles."""
import os

# Textual paints at most 60 frames a second: a change waits for the next frame slot, up to
# 16.7 ms after the previous frame. While labels print, the printer's status line takes a
# frame after each label, and the next scan's acknowledgement waited for a slot: p99 ~30 ms
# from the scan's keys to its frame (python -m bench), against ~20 ms at 120. Textual still
# paints only when something changed. Set before Textual is imported; a site may set its own.
os.environ.setdefault("TEXTUAL_FPS", "120")
