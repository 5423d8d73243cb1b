"""A demo force shaped after the Metropolitan Police's published 2022-2023 figures (DOMAIN.md), alive: every
date counts back from the day the seed runs. Each app adds its own parts through the registry
(cases/demo/registry.py) from its own `demo.py`, so cases writes no row of an app built on it.
Deterministic: one `random.Random(seed)` drives every choice."""

from . import casework, college, convictions, logins, onyx, people  # noqa: F401 - cases' own parts register here
from .figures import DEMO_PASSWORD, SCALES, DemoFigures, apportion, scaled
from .registry import (
    DemoLogins,
    DemoSeed,
    demo_force_create,
    demo_force_exists,
    demo_force_reset,
    demo_login_note,
    demo_login_part,
    demo_logins_create,
    demo_part,
    login_notes,
)

__all__ = [
    "DEMO_PASSWORD",
    "SCALES",
    "DemoFigures",
    "DemoLogins",
    "DemoSeed",
    "apportion",
    "demo_force_create",
    "demo_force_exists",
    "demo_force_reset",
    "demo_login_note",
    "demo_login_part",
    "demo_logins_create",
    "demo_part",
    "login_notes",
    "scaled",
]
