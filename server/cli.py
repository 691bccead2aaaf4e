"""The ``coach`` command: the outermost shell, wiring each layer's commands into one CLI.

Layers register their own commands (``ingest.cli``, ``coach.cli``, ``eval.cli``,
``server.commands``) so each stays next to the code it drives. Heavy imports happen inside the
commands, so ``coach --help`` and the batch calls start fast.
"""

from __future__ import annotations

import os
import sys

import typer

from ingest.errors import CoachError

app = typer.Typer(
    name="coach",
    help="官民共創 proposal coach: review drafts against the four points, search the playbook, "
    "run the eval, serve the app.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register_all() -> None:
    from coach.cli import register as register_coach
    from eval.cli import register as register_eval
    from ingest.cli import register as register_ingest
    from server.commands import register as register_server

    register_ingest(app)
    register_coach(app)
    register_eval(app)
    register_server(app)


_register_all()


def main() -> None:
    """Entry point: user-facing errors become one clear line on stderr and a non-zero exit.

    Typer's standalone mode already turns usage errors into a message and exit code 2, and
    ``typer.Exit(n)`` into exit code n; only our own errors and bugs reach the handlers here.
    """
    try:
        app()
    except CoachError as err:
        sys.stderr.write(f"coach: {err.message}\n")
        sys.exit(2)
    except Exception as err:
        if os.environ.get("COACH_DEBUG"):
            raise
        sys.stderr.write(
            f"coach: 内部エラーが発生しました / internal error ({type(err).__name__}: {err}). "
            "Set COACH_DEBUG=1 for details.\n"
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
