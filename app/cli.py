"""Every project command, as `flask --app server <command>`; COMMANDS lists them all.

`server.py run` is `prepare-db` followed by Flask's own `run`, and `fake.py` is `create-admin`:
those two scripts only translate their arguments. Flask-Migrate adds `db` by itself.
"""

import getpass
import logging
import re
import secrets
import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup
from sqlalchemy import func, inspect, select

from app.config import settings_table
from app.extensions import db
from app.models import User
from app.models.user import AUTH_SUPER
from app.validators.user import EMAIL_PATTERN
from app.zerd import zerd_command

logger = logging.getLogger("mini_shop")

order_cli = AppGroup("order", help="Order maintenance (expiry, auto receipt).")
logs_cli = AppGroup("logs", help="Log maintenance (retention).")
outbox_cli = AppGroup("outbox", help="Outgoing WeChat calls (shipping uploads, messages).")
pay_cli = AppGroup("pay", help="WeChat Pay maintenance (daily reconciliation).")
wechat_cli = AppGroup("wechat", help="WeChat tools (a local fake of its APIs).")
stats_cli = AppGroup("stats", help="The daily stats rollup of the dashboard.")


@order_cli.command("expire")
def order_expire_command():
    """Cancel overdue unpaid orders, auto-receive old deliveries, settle refunds, purge keys."""
    from app.services.orders import expire_orders

    report = expire_orders()
    click.echo(" ".join(f"{key}={value}" for key, value in report.items()))


@logs_cli.command("purge")
def logs_purge_command():
    """Delete login, operation and error log rows older than their *_KEEP_DAYS settings."""
    from app.services.oper_log import purge_old_logs

    report = purge_old_logs()
    click.echo(" ".join(f"{key}={value}" for key, value in report.items()))


@outbox_cli.command("run")
def outbox_run_command():
    """Send the due outbox rows to WeChat (retries with back-off; safe on several hosts)."""
    from app.services.wechat_platform import run_outbox

    report = run_outbox()
    if report.pop("not_configured", 0):
        click.echo("WeChat is not configured (WX_APP_ID, WX_APP_SECRET): nothing sent")
        return
    click.echo(" ".join(f"{key}={value}" for key, value in report.items()))


@pay_cli.command("reconcile")
@click.option(
    "--date",
    "bill_date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Bill day, YYYY-MM-DD (default: yesterday in TIMEZONE).",
)
def pay_reconcile_command(bill_date):
    """Compare a day's WeChat Pay trade bill with our payments and refunds; store the report
    (replacing that day's earlier one) and repair payments whose notification was lost."""
    from app.core.exceptions import APIException
    from app.services import reconcile

    day = bill_date.date() if bill_date else reconcile.yesterday()
    try:
        report = reconcile.reconcile(day)
    except APIException as error:
        raise click.ClickException(f"{day}: {error.msg} ({error.error_code})") from None
    fields = ("bill_rows", "matched", "missing_local", "missing_wechat", "amount_mismatch")
    fields += ("order_mismatch", "repaired")
    click.echo(f"{day} " + " ".join(f"{name}={getattr(report, name)}" for name in fields))
    if report.problems:
        click.echo(f"see GET /v2/pay/reconcile/{report.id}/items", err=True)


@stats_cli.command("rebuild")
@click.option(
    "--from",
    "first",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="First day, YYYY-MM-DD (default: the first day not closed yet, at the latest "
    "yesterday; on an empty rollup the day of the first order or customer).",
)
@click.option(
    "--to", "last", type=click.DateTime(formats=["%Y-%m-%d"]), help="Last day (default: today)."
)
def stats_rebuild_command(first, last):
    """Recompute the daily stats rollup from the orders, refunds and users (days in TIMEZONE)."""
    from app.services import stats

    first, last, days = stats.rebuild(
        first.date() if first else None, last.date() if last else None
    )
    click.echo(f"{first}..{last} days={days}")


@wechat_cli.command("fake")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=9100, show_default=True, type=int)
@click.option(
    "--notify-to",
    default="",
    help="Origin of the server (e.g. http://127.0.0.1:5000): notifications go there.",
)
@click.option(
    "--keys",
    "keys_file",
    default="",
    help="JSON file of the fake's identity and test keys (created when missing; "
    "default instance/fakewechat.json).",
)
@click.option(
    "--risky-word",
    "risky_words",
    multiple=True,
    help="msg_sec_check answers risky for texts containing it (repeatable).",
)
@click.option("--print-env", is_flag=True, help="Print the server's environment lines, exit.")
def wechat_fake_command(host, port, notify_to, keys_file, risky_words, print_env):
    """Serve a local fake of the WeChat and WeChat Pay APIs the server calls."""
    from app import fakewechat

    identity = fakewechat.load_identity(keys_file or fakewechat.DEFAULT_KEYS_FILE)
    settings = fakewechat.FakeSettings(
        identity=identity,
        base_url=f"http://{host}:{port}",
        notify_to=notify_to,
        risky_words=tuple(risky_words) or fakewechat.DEFAULT_RISKY_WORDS,
    )
    if print_env:
        click.echo("\n".join(fakewechat.env_lines(settings)))
        return
    fakewechat.serve(settings, host, port)


@click.command("seed")
def seed_command():
    """Load the system data and the demo data (refused under production)."""
    from app.seed import SeedRefused, load_demo

    try:
        load_demo(current_app)
    except SeedRefused as error:
        raise click.ClickException(str(error)) from None
    click.echo("demo data loaded")


@click.command("seed-system")
def seed_system_command():
    """Load the system data only (allowed in production)."""
    from app.seed import seed_system

    seed_system(current_app)
    click.echo("system data loaded")


@click.command("settings")
def settings_command():
    """Print the settings table of the README (from app/config.py and config.ini)."""
    click.echo(settings_table(), nl=False)


# ------------------------------------------------------------ the database


def has_schema() -> bool:
    """Whether the database holds the application's tables (migrated or created)."""
    return inspect(db.engine).has_table(User.__tablename__)


def prepare_database(app: Flask) -> None:
    """Make the database servable: on SQLite, migrate it (demo data when it was empty, outside
    production); elsewhere refuse, with the command to run, when the schema is missing.

    Only SQLite is migrated automatically: a shared server's schema changes when an operator runs
    `flask db upgrade`, never as a side effect of starting one app process.
    """
    from flask_migrate import upgrade

    from app.seed import load_demo, seed_system

    with app.app_context():
        empty = not has_schema()
        if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            if empty:
                raise click.ClickException(
                    "the database has no schema: run `uv run flask --app server db upgrade` "
                    "then `uv run flask --app server seed-system`"
                )
            return
        upgrade()
        if empty and app.config["ENV_MODE"] != "production":
            load_demo(app)
        else:
            seed_system(app)


@click.command("prepare-db")
def prepare_db_command():
    """Migrate a SQLite database (demo data when empty); check the schema of any other."""
    prepare_database(current_app._get_current_object())
    click.echo("database ready")


def prepare_for_flask_run(app: Flask) -> None:
    """When the app is being loaded by `flask run`, prepare the database as `server.py run` does.

    Flask's built-in `run` cannot be replaced by an app command, so server.py calls this while
    it is imported; the click context says which command is importing it.
    """
    from flask.cli import run_command

    context = click.get_current_context(silent=True)
    if context is not None and context.command is run_command:
        prepare_database(app)


# ------------------------------------------------------------ administrators


def create_super_admin(email: str, password: str, nickname: str = "Admin") -> tuple[User, bool]:
    """The super admin with this email; created when missing. Answers (user, created)."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
    if user is not None:
        return user, False
    user = User(email=email.lower(), nickname=nickname, auth=AUTH_SUPER, active=True)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user, True


def _check_email(email: str) -> str:
    email = (email or "").strip()
    if len(email) > 100 or not re.fullmatch(EMAIL_PATTERN, email):
        raise click.UsageError(f"not a valid email address: {email!r}")
    return email


def _check_password(password: str) -> None:
    if not 8 <= len(password) <= 64 or not password.strip():
        raise click.UsageError("the password must have 8 to 64 characters, not only white space")


@click.command("create-admin")
@click.option("--email", help="Login email (asked in a terminal; default admin@example.com).")
@click.option("--password", help="Password (asked in a terminal; empty: generate one).")
@click.option("--nickname", default="Admin", show_default=True)
def create_admin_command(email: str | None, password: str | None, nickname: str):
    """Create a super administrator (idempotent: an existing email changes nothing)."""
    interactive = sys.stdin.isatty()
    if not email:
        email = input("Email: ") if interactive else "admin@example.com"
    email = _check_email(email)
    generated = False
    if not password and interactive:
        password = getpass.getpass("Password (empty: generate one): ")
    if not password:
        password, generated = secrets.token_urlsafe(12), True
    _check_password(password)
    user, created = create_super_admin(email, password, nickname)
    # Read before the app context ends: the row is expired by the commit and detached after.
    user_id, user_email = user.id, user.email
    if not created:
        click.echo(f"A user with email {user_email} already exists (id {user_id}); no change.")
        return
    click.echo(f"Super admin {user_email} created (id {user_id}).")
    if generated:
        click.echo(f"Generated password (shown once): {password}")


COMMANDS = [
    prepare_db_command,
    settings_command,
    seed_command,
    seed_system_command,
    create_admin_command,
    order_cli,
    logs_cli,
    outbox_cli,
    pay_cli,
    stats_cli,
    wechat_cli,
    zerd_command,
]


def register_commands(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)


def invoke(app: Flask, args: list[str], prog_name: str) -> int:
    """Run `flask --app server <args>` on this app object; answer the exit status."""
    group = FlaskGroup(create_app=lambda: app, load_dotenv=False)
    try:
        return group.main(args, prog_name=prog_name, standalone_mode=False) or 0
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.Abort:
        click.echo("Aborted!", err=True)
        return 1
