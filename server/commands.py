"""Commands of the `server` layer (serve, purge, staff users), registered on the root CLI."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this layer's commands to the root CLI."""
