"""One guarded status move, shared by the order and the after-sale machines.

A machine is a table of allowed moves ((from, to) -> actor types). A move is an UPDATE guarded
on the expected current status, plus an event row; the loser of a race gets False (the caller
decides whether that is an error), a move the table does not allow raises the machine's
conflict (naming the statuses the move may start from). Nothing is committed here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import update

from app.extensions import db
from app.models.base import now


@dataclass(frozen=True)
class Machine:
    """`model` holds the status in `status_column`; `event` rows name it by `event_key`."""

    model: type
    status_column: str
    event: type
    event_key: str
    transitions: dict[tuple[int, int], frozenset[str]]
    conflict: Callable[[int | None, list[int]], Exception]

    def move(
        self,
        row_id: int,
        from_status: int,
        to_status: int,
        actor_type: str,
        actor_id: int | None = None,
        reason: str = "",
        **values,
    ) -> bool:
        allowed = self.transitions.get((from_status, to_status))
        if allowed is None or actor_type not in allowed:
            sources = [
                f
                for (f, t), who in self.transitions.items()
                if t == to_status and actor_type in who
            ]
            raise self.conflict(from_status, sources)
        status = getattr(self.model, self.status_column)
        changed = db.session.execute(
            update(self.model)
            .where(self.model.id == row_id, status == from_status)
            .values({self.status_column: to_status, "update_time": now(), **values})
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount != 1:
            return False
        db.session.add(
            self.event(
                **{self.event_key: row_id},
                from_status=from_status,
                to_status=to_status,
                actor_type=actor_type,
                actor_id=actor_id,
                reason=reason[:255],
            )
        )
        return True
