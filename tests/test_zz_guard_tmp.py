import threading, tests.test_desk as T
from models.db import db
calls = {"main": 0, "other": 0}
real = None
def test_guard_sees_calls(desk, monkeypatch):
    s = T.ready_slip(desk, ("P-1", "pcs", "5", "1"))
    real = type(db.obj).execute_sql
    def watched(self, *a, **k):
        calls["main" if threading.current_thread() is threading.main_thread() else "other"] += 1
        return real(self, *a, **k)
    @T.desk_test
    async def body(desk, pilot):
        monkeypatch.setattr(type(db.obj), "execute_sql", watched)
        await T.sign_in(pilot, "clerk")
        await pilot.press("f3")
        await T.scan(pilot, s.slip_no, "P-1")
        monkeypatch.undo()
    body(desk)
    print(calls)
    assert calls["other"] > 10
