"""Commands of the `eval` layer, registered on the root `coach` CLI (see server/cli.py)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this layer's commands to the root CLI."""
