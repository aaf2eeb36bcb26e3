"""Group commit for the audit trail: the events of requests running at the same time are
written in one transaction, and each request still waits until its own events are stored.

Every page that shows a candidate's data appends to the audit trail, so on a busy server
the audit write is the most frequent write there is — and on Neo4j a commit (a forced
transaction log write) costs more than the page's reads together. Writing each request's
events in its own transaction wastes that: while one commit is in flight, the next
requests' events queue up. One writer thread per process takes whatever is queued as one
batch, appends it with one ``append_audit`` call, and then wakes every request in that
batch. Nothing is lost or delayed past the response: a request returns only after its
events are committed, and when the commit fails, every request of the batch gets the
error (and its page is not served, as before).

There is no waiting to fill a batch: a lone request is written at once; batches form only
because requests arrive while a commit is running — which is exactly when it helps.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from graph.audit import AuditEvent
from graph.store import GraphStore

__all__ = ["AuditGroupCommit"]

MAX_BATCH = 500
"""Events in one transaction at most (a burst is split into several commits)."""
WAIT_SECONDS = 60.0
"""How long a request waits for its batch before it reports the audit write as failed."""


@dataclass
class _Ticket:
    events: Sequence[AuditEvent]
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


class AuditGroupCommit:
    """``write(events)`` appends to ``store``'s audit trail, batched with concurrent
    writers. Safe to call from any thread; a writer thread is started on first use in
    each process (so it also works after a fork, as under gunicorn)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._queue: queue.SimpleQueue[_Ticket] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._pid: int | None = None

    def write(self, events: Sequence[AuditEvent]) -> None:
        """Return once ``events`` are committed; raise what the commit raised."""
        if not events:
            return
        self._ensure_writer()
        ticket = _Ticket(list(events))
        self._queue.put(ticket)
        if not ticket.done.wait(WAIT_SECONDS):
            raise TimeoutError(f"the audit trail was not written within {WAIT_SECONDS:.0f} s")
        if ticket.error is not None:
            raise ticket.error

    def _ensure_writer(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            self._queue = queue.SimpleQueue()  # a forked child starts with an empty queue
            threading.Thread(target=self._run, name="audit-writer", daemon=True).start()
            self._pid = os.getpid()

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            size = len(batch[0].events)
            while size < MAX_BATCH:
                try:
                    ticket = self._queue.get_nowait()
                except queue.Empty:
                    break
                batch.append(ticket)
                size += len(ticket.events)
            try:
                self.store.append_audit([event for t in batch for event in t.events])
            except BaseException as error:  # every waiting request must hear of it
                for ticket in batch:
                    ticket.error = error
            for ticket in batch:
                ticket.done.set()
