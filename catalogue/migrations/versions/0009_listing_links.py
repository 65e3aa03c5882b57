"""listing_link: a provider's token link to confirm one listing and set its capacity

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-06 11:20:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('listing_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('made_by', sa.String(length=320), nullable=False),
    sa.Column('sent_to', sa.String(length=320), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['offer_id'], ['offer.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('listing_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listing_link_offer_id'), ['offer_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('listing_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listing_link_offer_id'))
    op.drop_table('listing_link')
