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
    """Entry point: user-facing errors become one clear line on stderr and a non-zero exit."""
    try:
        app(standalone_mode=False)
    except CoachError as err:
        sys.stderr.write(f"coach: {err.message}\n")
        sys.exit(2)
    except (typer.Exit, SystemExit) as done:
        code = getattr(done, "exit_code", getattr(done, "code", 0))
        sys.exit(code if isinstance(code, int) else 1)
    except typer.Abort:
        sys.stderr.write("coach: aborted\n")
        sys.exit(130)
    except Exception as err:  # noqa: BLE001 - the last line of defence against tracebacks
        import click

        if isinstance(err, click.ClickException):
            err.show()
            sys.exit(err.exit_code)
        if os.environ.get("COACH_DEBUG"):
            raise
        sys.stderr.write(
            f"coach: 内部エラーが発生しました / internal error ({type(err).__name__}: {err}). "
            "Set COACH_DEBUG=1 for details.\n"
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
