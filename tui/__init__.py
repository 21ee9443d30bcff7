"""The front of the desk: the command line (`tui.cli`), the full-screen desk (`tui.desk`,
Textual) and the desk's work that needs no screen (`tui.work`)."""
