"""tickets: the filing key of the confirm button, unique, so a doubled 确认提交 files one ticket

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | Sequence[str] | None = '0010'  # last in the chain
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('tickets', sa.Column('filing_key', sa.String(length=32), nullable=True))
    # A unique index (not a constraint): SQLite adds it without rebuilding the table; tickets filed
    # before this revision have no key (NULL), which never collides.
    op.create_index(op.f('ix_tickets_filing_key'), 'tickets', ['filing_key'], unique=True)


def downgrade() -> None:
    op.drop_index(op.f('ix_tickets_filing_key'), table_name='tickets')
    with op.batch_alter_table('tickets') as batch:
        batch.drop_column('filing_key')
