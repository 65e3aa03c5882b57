"""conversation.version: the intake conversation's version, so that two guides saving at once
never silently overwrite each other (If-Match on the API, a version field in the form); and
account.logged_out_at: a logout ends every session of the account issued before it

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-06 12:10:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False,
                                      server_default='1'))
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('logged_out_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('logged_out_at')
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_column('version')
