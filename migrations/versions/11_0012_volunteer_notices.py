"""volunteer notices: registered volunteers receive them until they stop them

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 16:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"  # last in the chain
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("volunteer_profiles") as batch_op:
        batch_op.add_column(sa.Column("shift_notices", sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("volunteer_profiles") as batch_op:
        batch_op.drop_column("shift_notices")
