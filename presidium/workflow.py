"""What every workflow shares: the one shape of a transition table, and the one conflict message.

A workflow's table maps ``(from status, action) → Transition(to, roles, guard, label)``, readable
at a glance (``suggestions.workflow`` is the fullest example). Services look the step up before they
touch a row, pages build their buttons from it and tests are parametrized from it. Each app keeps
its own roles, guards, labels and refusal messages; the table only says who may do what from where.

A workflow whose steps are simply "move to status X" (a session, a render job) is built with
:meth:`TransitionTable.moves`: the action is the target status.

STALE_MESSAGE is what the loser of a race is told (someone else changed the row between the page
being shown and the form being sent, or while this request waited for the row lock); nothing is
changed."""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

STALE_MESSAGE = _("已被他人修改，请刷新后重试。")


def always(obj, user) -> str:
    """The guard of a step with no condition beyond status and role."""
    return ""


@dataclass(frozen=True)
class Transition:
    """One step: the status it leads to, the workflow roles that may take it, a guard
    ((object, user) → "" when allowed, else a Chinese reason) and its label from this status."""

    to: str
    roles: tuple = ()
    guard: Callable = always
    label: str = ""


class TransitionTable(Mapping):
    """``(from status, action) → Transition``: a read-only mapping with the questions every
    workflow asks of its table."""

    def __init__(self, transitions: Mapping[tuple[str, str], Transition]):
        self._table = dict(transitions)

    @classmethod
    def moves(cls, graph: Mapping[str, Iterable[str]], *, roles: tuple = ()) -> "TransitionTable":
        """A table from ``{from status: {to status, …}}`` where the action is the target status."""
        return cls({(src, to): Transition(to, roles) for src, targets in graph.items() for to in targets})

    def __getitem__(self, key) -> Transition:
        return self._table[key]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    @property
    def actions(self) -> list[str]:
        """Every action of the workflow, in table order."""
        return list(dict.fromkeys(action for _status, action in self._table))

    def actions_from(self, status: str) -> list[str]:
        """The actions the table offers from ``status`` (whoever may take them)."""
        return [action for (src, action) in self._table if src == status]

    def targets(self, status: str) -> list[str]:
        """The statuses one step away from ``status``."""
        return list(dict.fromkeys(t.to for (src, _a), t in self._table.items() if src == status))

    def sources(self, action: str) -> list[str]:
        """The statuses ``action`` may be taken from."""
        return [src for (src, a) in self._table if a == action]

    def roles_for(self, action: str) -> set[str]:
        """The roles that may take ``action`` from some status (anyone else is refused outright)."""
        return {role for (_s, a), t in self._table.items() if a == action for role in t.roles}

    def label(self, action: str) -> str:
        """The action's label (the first one the table gives it)."""
        return next((t.label for (_s, a), t in self._table.items() if a == action and t.label), action)

    def choices(self) -> list[tuple[str, str]]:
        """``(action, label)`` pairs for a form's choice field."""
        return [(action, self.label(action)) for action in self.actions]

    def allowed(self, obj, status: str, roles: Iterable[str], user=None) -> list[str]:
        """The actions a holder of ``roles`` may take on ``obj`` now (status, role and guard)."""
        roles = set(roles)
        return [
            action
            for (src, action), t in self._table.items()
            if src == status and roles & set(t.roles) and not t.guard(obj, user)
        ]

    def step(self, status: str, action: str, *, refused) -> Transition:
        """The step ``action`` takes from ``status``; ``ValidationError(refused)`` when the table
        has none (the app's own wording of "not from this status")."""
        transition = self._table.get((status, action))
        if transition is None:
            raise ValidationError(refused)
        return transition
