"""The label formats the desk writes, in the order the `label` command offers them.

Apart from labelling.py so that the command line can offer them without importing the
renderers (a tenth of a second on every start)."""

PER_LABEL_FORMATS = ("png", "svg")              # a file per label
SINGLE_FILE_FORMATS = ("pdf", "sheet", "zpl")   # several labels in one file
FORMATS = PER_LABEL_FORMATS + SINGLE_FILE_FORMATS
