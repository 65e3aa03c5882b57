"""closing the loop: provider answers, check-ins, the outbox, organisations' contact e-mail

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 09:25:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_email', sa.String(length=320), nullable=True))
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('proposed_time', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('decline_reason', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('answer_note_sealed', sa.Text(), nullable=True))
    with op.batch_alter_table('plan_step', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checkin_happened', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('checkin_feeling', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('checkin_again', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('checkin_by', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('checkin_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table('outbox_message',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('referral_id', sa.String(length=32), nullable=True),
    sa.Column('to_address', sa.String(length=320), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body_sealed', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_message_referral_id'), ['referral_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_message_sent_at'), ['sent_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_message_sent_at'))
        batch_op.drop_index(batch_op.f('ix_outbox_message_referral_id'))
    op.drop_table('outbox_message')
    with op.batch_alter_table('plan_step', schema=None) as batch_op:
        for column in ('checkin_at', 'checkin_by', 'checkin_again', 'checkin_feeling',
                       'checkin_happened'):
            batch_op.drop_column(column)
    with op.batch_alter_table('referral', schema=None) as batch_op:
        for column in ('answer_note_sealed', 'decline_reason', 'proposed_time', 'answered_at'):
            batch_op.drop_column(column)
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_column('contact_email')
