"""docs/events.md, "Supported events" (where the README links for the list), lists every typed
event, with its class and protobuf field."""

from __future__ import annotations

import pathlib

from bridge import _schema

PAGE = (pathlib.Path(__file__).resolve().parent.parent / "docs" / "events.md").read_text()
SECTION = PAGE.split("\n## Supported events\n", 1)[1].split("\n## ", 1)[0]


def test_every_typed_event_is_listed_with_its_class_and_field() -> None:
    for plans in (_schema.EVENT_PLANS, _schema.CLIENT_EVENT_PLANS):
        for event_type, plan in plans.items():
            member = plan.envelope.member if plan.envelope is not None else "response"
            row = next((line for line in SECTION.splitlines() if line.startswith(f"| `{event_type}` |")), None)
            assert row is not None, f"docs/events.md lacks {event_type}"
            assert f"`{plan.struct.__name__}`" in row and f"`{member}`" in row, row
