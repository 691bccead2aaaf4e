"""One revision number per submission: a unique index on reviews (submission_id, seq).

Before this, two revisions posted at the same moment could both be stored as the same number
(the next number was read outside the writing transaction). Databases written by 0001 may hold
such pairs, so they are renumbered first, in the order they were stored, and each submission's
``revision_count`` is brought in line; nothing is deleted.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT id, submission_id, seq FROM reviews ORDER BY submission_id, seq, id")
    ).all()
    counts: dict[str, int] = {}
    for review_id, submission_id, seq in rows:
        wanted = counts.get(submission_id, 0) + 1
        counts[submission_id] = wanted
        if seq != wanted:
            connection.execute(sa.text("UPDATE reviews SET seq = :seq WHERE id = :id"),
                               {"seq": wanted, "id": review_id})
    for submission_id, count in counts.items():
        connection.execute(
            sa.text("UPDATE submissions SET revision_count = :n WHERE id = :id AND revision_count <> :n"),
            {"n": count, "id": submission_id},
        )
    op.create_index("uq_reviews_submission_seq", "reviews", ["submission_id", "seq"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_reviews_submission_seq", table_name="reviews")
