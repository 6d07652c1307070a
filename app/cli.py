"""Flask CLI commands: `flask --app server seed`, `flask --app server order ...`,
`flask --app server logs purge`."""

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.zerd import zerd_command

order_cli = AppGroup("order", help="Order maintenance (expiry, auto receipt).")
logs_cli = AppGroup("logs", help="Log maintenance (retention).")


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


def register_commands(app: Flask) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(seed_system_command)
    app.cli.add_command(order_cli)
    app.cli.add_command(logs_cli)
    app.cli.add_command(zerd_command)
