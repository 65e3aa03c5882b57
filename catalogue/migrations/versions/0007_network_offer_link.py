"""network_entry.offer_sealed: where the citizen knows a person from (an offer, sealed)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 09:50:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('network_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('offer_sealed', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('network_entry', schema=None) as batch_op:
        batch_op.drop_column('offer_sealed')
