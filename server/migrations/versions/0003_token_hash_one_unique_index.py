"""submissions.token_hash: one unique index, not an index plus a unique constraint.

0001 declared the column ``unique=True`` *and* created the unique index
``ix_submissions_token_hash``, which is what the model declares. On PostgreSQL the first became a
separate constraint (``submissions_token_hash_key``) with a second, identical index behind it:
twice the index upkeep on every insert, and a schema that did not match the models. It is
dropped there. SQLite keeps its equivalent (an automatic index inside the table definition that
only a table rebuild could remove); it is just as redundant and harmless, and alembic does not
report it as a difference.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE submissions DROP CONSTRAINT IF EXISTS submissions_token_hash_key")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_unique_constraint("submissions_token_hash_key", "submissions", ["token_hash"])
