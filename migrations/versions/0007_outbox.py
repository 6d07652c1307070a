"""outbox of WeChat calls, shared WeChat access token

`outbox_message` holds each outgoing WeChat call, written in the transaction of the change that
causes it; (state, next_attempt_time) finds the due rows. `wechat_access_token` is the
database copy of the access token (one row per app id, with its refresh lock).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 07:15:59

"""

import sqlalchemy as sa

from app.core.migration import create_table, drop_tables, timestamps


# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    create_table(
        "wechat_access_token",
        sa.Column("app_id", sa.String(length=64), nullable=False),
        sa.Column("token", sa.String(length=512), nullable=True),
        sa.Column("expire_time", sa.Integer(), server_default="0", nullable=False),
        sa.Column("lock_owner", sa.String(length=32), nullable=True),
        sa.Column("lock_expire_time", sa.Integer(), server_default="0", nullable=False),
        key=("app_id",),
    )
    create_table(
        "outbox_message",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("path", sa.String(length=128), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=16), server_default="pending", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_time", sa.Integer(), nullable=False),
        sa.Column("lease_expire_time", sa.Integer(), nullable=True),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("last_errcode", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=255), server_default="", nullable=False),
        sa.Column("sent_time", sa.Integer(), nullable=True),
        *timestamps(),
        foreign_keys=[("order_id", "order")],
        indexes=["order_id", ("state", "next_attempt_time")],
    )


def downgrade():
    drop_tables("outbox_message", "wechat_access_token")
