"""Commands of the `server` layer (serve, purge, staff users), registered on the root CLI."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

staff_app = typer.Typer(help="Staff accounts and API keys.", no_args_is_help=True)


def _print_json(value: object) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Start the web app (FastAPI under uvicorn). GET /healthz answers 200 once ready."""
    import uvicorn

    from server.app import install_log_redaction

    install_log_redaction()
    # One worker: the review service, the retriever and the rate limiter live in the process.
    uvicorn.run("server.app:app_from_env", factory=True, host=host, port=port,
                log_level=log_level, proxy_headers=False)


def purge(
    days: Annotated[int | None, typer.Option(help="Override COACH_RETENTION_DAYS.")] = None,
) -> None:
    """Delete submissions older than the retention period (and expired staff sessions)."""
    from ingest.settings import get_settings
    from server.storage import Store

    settings = get_settings()
    retention = days if days is not None else settings.retention_days
    if retention < 1:
        raise typer.BadParameter("days must be at least 1")
    store = Store(settings.resolved_database_url)
    store.migrate()
    deleted = store.purge(retention)
    _print_json({"deleted": deleted, "retention_days": retention})


@staff_app.command("add-user")
def add_user(
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option(help="reviewer or admin.")] = "reviewer",
    password: Annotated[str | None, typer.Option(
        help="Password (10+ characters). Omit to be prompted, or set COACH_NEW_PASSWORD.",
        envvar="COACH_NEW_PASSWORD")] = None,
) -> None:
    """Create a staff account."""
    from ingest.settings import get_settings
    from server.auth import create_user
    from server.storage import Store

    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True,
                                err=True)
    store = Store(get_settings().resolved_database_url)
    store.migrate()
    create_user(store, username, password, role)
    _print_json({"username": username, "role": role})


@staff_app.command("create-api-key")
def create_api_key_cmd(
    username: Annotated[str, typer.Argument(help="Staff account that owns the key.")],
    name: Annotated[str, typer.Option(help="What the key is for.")] = "automation",
) -> None:
    """Create an API key (printed once) for automation: `Authorization: Bearer <key>`."""
    from ingest.settings import get_settings
    from server.auth import create_api_key
    from server.storage import Store

    store = Store(get_settings().resolved_database_url)
    store.migrate()
    _print_json({"username": username, "name": name, "key": create_api_key(store, username, name)})


def register(app: typer.Typer) -> None:
    """Add this layer's commands to the root CLI."""
    app.command("serve")(serve)
    app.command("purge")(purge)
    app.add_typer(staff_app, name="staff")
