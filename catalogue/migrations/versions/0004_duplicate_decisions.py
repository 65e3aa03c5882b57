"""duplicate decisions: a coordinator's word on two offers that look alike

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 07:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('duplicate_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_offer_id', sa.Integer(), nullable=False),
    sa.Column('second_offer_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('decided_by', sa.String(length=320), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['first_offer_id'], ['offer.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['second_offer_id'], ['offer.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('first_offer_id', 'second_offer_id', name='uq_duplicate_decision_pair')
    )


def downgrade() -> None:
    op.drop_table('duplicate_decision')
