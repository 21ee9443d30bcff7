"""The desk's work that needs no screen: what a scanned text is, label printing and its
queue, the receiving queue with its journal. No Textual here: a screen calls this work and
shows the outcome; the work reports back through callbacks."""
