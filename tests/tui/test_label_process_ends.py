"""The label process ends with the desk that started it, also when the desk is killed
(kill -9, a crash): it used to wait for its next job for ever, one process left per crash."""
from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path


def _desk_with_a_label_process(pids) -> None:
    from tui.work import printing
    pids.put(printing.renderer().submit(os.getpid).result(timeout=60))
    time.sleep(120)         # killed long before


def _running(pid: int) -> bool:
    """Alive and not a zombie (a container's init may be slow to reap one)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def test_the_label_process_ends_when_its_desk_is_killed():
    context = multiprocessing.get_context("spawn")
    pids = context.Queue()
    desk = context.Process(target=_desk_with_a_label_process, args=(pids,))
    desk.start()
    label_process = pids.get(timeout=90)
    assert _running(label_process)
    os.kill(desk.pid, signal.SIGKILL)
    desk.join(timeout=30)
    deadline = time.monotonic() + 15
    while _running(label_process) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(label_process), "the label process outlived its desk"


def _desk_killed_as_its_label_process_starts() -> None:
    from tui.work import printing
    printing.renderer().submit(os.getpid)       # the label process is being started
    os.kill(os.getpid(), signal.SIGKILL)


def _marked(mark: str) -> list[int]:
    """The running processes whose environment holds `mark` (inherited from this test)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and mark.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:          # gone meanwhile, or not ours to read
            continue
    return [pid for pid in found if pid != os.getpid() and _running(pid)]


def test_the_label_process_ends_when_its_desk_was_killed_before_it_started(monkeypatch):
    mark = f"label-process-test-{os.getpid()}-{time.time_ns()}"
    monkeypatch.setenv("RETURNS_DESK_TEST_MARK", mark)
    desk = multiprocessing.get_context("spawn").Process(
        target=_desk_killed_as_its_label_process_starts)
    desk.start()
    desk.join(timeout=60)
    assert desk.exitcode == -signal.SIGKILL
    deadline = time.monotonic() + 20
    while _marked(mark) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _marked(mark), "a label process outlived its desk"
