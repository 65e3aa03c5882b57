"""unmet_search_term: search terms that found nothing good, counted per term and week

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 11:45:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('unmet_search_term',
    sa.Column('term', sa.String(length=40), nullable=False),
    sa.Column('week', sa.Date(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('term', 'week')
    )


def downgrade() -> None:
    op.drop_table('unmet_search_term')
