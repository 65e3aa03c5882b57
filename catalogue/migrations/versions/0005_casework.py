"""casework: citizens, consents, conversations, network maps, plans, referrals, audit

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 08:21:52.386794

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


# The audit log is append-only in the database itself: no row can be deleted, and an update may
# only blank ``citizen_id`` (erasure) or change the sealed details (erasure blanks them, key
# rotation re-encrypts them). A later batch migration of ``audit_entry`` on SQLite must recreate
# these triggers.
CHANGED = ("NEW.id IS DISTINCT FROM OLD.id OR NEW.at IS DISTINCT FROM OLD.at "
           "OR NEW.account_id IS DISTINCT FROM OLD.account_id OR NEW.who IS DISTINCT FROM OLD.who "
           "OR NEW.team IS DISTINCT FROM OLD.team OR NEW.action IS DISTINCT FROM OLD.action "
           "OR NEW.why IS DISTINCT FROM OLD.why "
           "OR (NEW.citizen_id IS NOT NULL AND NEW.citizen_id IS DISTINCT FROM OLD.citizen_id) "
           "OR (NEW.details_sealed IS NOT NULL AND OLD.details_sealed IS NULL)")
REFUSED = "audit_entry is append-only (only erasure may blank citizen_id and details)"


def guard_audit_log() -> None:
    if op.get_bind().dialect.name == "sqlite":
        changed = CHANGED.replace("IS DISTINCT FROM", "IS NOT")
        op.execute(f"CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry "
                   f"BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END")
        op.execute(f"CREATE TRIGGER audit_entry_only_redact BEFORE UPDATE ON audit_entry "
                   f"WHEN {changed} BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END")
        return
    op.execute(f"""CREATE FUNCTION audit_entry_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' OR {CHANGED} THEN RAISE EXCEPTION '{REFUSED}'; END IF;
          RETURN NEW;
        END $$""")
    op.execute("CREATE TRIGGER audit_entry_guard BEFORE UPDATE OR DELETE ON audit_entry "
               "FOR EACH ROW EXECUTE FUNCTION audit_entry_guard()")


def upgrade() -> None:
    """Casework tables: personal data apart from the catalogue."""
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('who', sa.String(length=320), nullable=False),
    sa.Column('team', sa.String(length=200), nullable=True),
    sa.Column('citizen_id', sa.String(length=32), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('why', sa.String(length=200), nullable=False),
    sa.Column('details_sealed', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_citizen_id'), ['citizen_id'], unique=False)
    guard_audit_log()

    op.create_table('citizen',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('name_sealed', sa.Text(), nullable=False),
    sa.Column('age', sa.Integer(), nullable=True),
    sa.Column('municipality', sa.String(length=100), nullable=True),
    sa.Column('postcode', sa.String(length=4), nullable=True),
    sa.Column('languages', sa.String(length=200), nullable=False),
    sa.Column('accessibility_needs', sa.String(length=200), nullable=False),
    sa.Column('busy_sealed', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('citizen', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_citizen_ended_at'), ['ended_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_citizen_team_id'), ['team_id'], unique=False)

    op.create_table('consent',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('citizen_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('purpose_sealed', sa.Text(), nullable=True),
    sa.Column('offer_ref', sa.String(length=320), nullable=True),
    sa.Column('shares', sa.String(length=300), nullable=False),
    sa.Column('given_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizen.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_citizen_id'), ['citizen_id'], unique=False)

    op.create_table('conversation',
    sa.Column('citizen_id', sa.String(length=32), nullable=False),
    sa.Column('dreams_sealed', sa.Text(), nullable=True),
    sa.Column('goals_sealed', sa.Text(), nullable=True),
    sa.Column('what_matters_sealed', sa.Text(), nullable=True),
    sa.Column('barriers', sa.String(length=300), nullable=False),
    sa.Column('barrier_words_sealed', sa.Text(), nullable=True),
    sa.Column('notes_sealed', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizen.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('citizen_id')
    )
    op.create_table('network_entry',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('citizen_id', sa.String(length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_sealed', sa.Text(), nullable=False),
    sa.Column('relation_sealed', sa.Text(), nullable=True),
    sa.Column('ring', sa.String(length=30), nullable=True),
    sa.Column('closeness', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizen.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('network_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_entry_citizen_id'), ['citizen_id'], unique=False)

    op.create_table('plan_step',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('citizen_id', sa.String(length=32), nullable=False),
    sa.Column('offer_ref', sa.String(length=320), nullable=True),
    sa.Column('what_sealed', sa.Text(), nullable=False),
    sa.Column('where_sealed', sa.Text(), nullable=True),
    sa.Column('when', sa.String(length=40), nullable=True),
    sa.Column('companion_id', sa.String(length=32), nullable=True),
    sa.Column('follow_up', sa.Date(), nullable=True),
    sa.Column('checkin_hash', sa.String(length=64), nullable=True),
    sa.Column('checkin_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('result', sa.String(length=10), nullable=True),
    sa.Column('progress', sa.Integer(), nullable=True),
    sa.Column('next', sa.String(length=10), nullable=True),
    sa.Column('learned_sealed', sa.Text(), nullable=True),
    sa.Column('outcome_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizen.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['companion_id'], ['network_entry.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('checkin_hash')
    )
    with op.batch_alter_table('plan_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_step_citizen_id'), ['citizen_id'], unique=False)
        batch_op.create_index('ix_plan_step_follow_up', ['follow_up'], unique=False)

    op.create_table('referral',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('citizen_id', sa.String(length=32), nullable=False),
    sa.Column('offer_ref', sa.String(length=320), nullable=False),
    sa.Column('consent_id', sa.String(length=32), nullable=False),
    sa.Column('message_sealed', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('follow_up', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizen.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['consent_id'], ['consent.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_citizen_id'), ['citizen_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_follow_up'), ['follow_up'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_follow_up'))
        batch_op.drop_index(batch_op.f('ix_referral_citizen_id'))

    op.drop_table('referral')
    with op.batch_alter_table('plan_step', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_step_follow_up')
        batch_op.drop_index(batch_op.f('ix_plan_step_citizen_id'))

    op.drop_table('plan_step')
    with op.batch_alter_table('network_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_entry_citizen_id'))

    op.drop_table('network_entry')
    op.drop_table('conversation')
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_citizen_id'))

    op.drop_table('consent')
    with op.batch_alter_table('citizen', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_citizen_team_id'))
        batch_op.drop_index(batch_op.f('ix_citizen_ended_at'))

    op.drop_table('citizen')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_citizen_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_at'))

    op.drop_table('audit_entry')                 # its triggers go with it
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION audit_entry_guard()")
