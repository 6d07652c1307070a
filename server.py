"""Entry point: `python server.py run [-h HOST] [-p PORT] [--debug]`; `server:app` for gunicorn."""

import argparse
import logging
import sys

from app import create_app
from app.config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    sys.exit(f"mini-shop-server refuses to start: {error}")


def prepare_embedded_database() -> None:
    """On the default SQLite database, build the schema and load demo data when it is empty."""
    from flask_migrate import upgrade
    from sqlalchemy import inspect

    from app.extensions import db
    from app.seed import load_demo, seed_system

    with app.app_context():
        empty = not inspect(db.engine).has_table("user")
        upgrade()
        if empty and app.config["ENV_MODE"] != "production":
            load_demo(app)
        else:
            seed_system(app)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        prog="server.py", add_help=False, description="Run the mini-shop-server development server."
    )
    parser.add_argument("--help", action="help", help="show this help and exit")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", add_help=False, help="serve the app")
    run.add_argument("--help", action="help", help="show this help and exit")
    run.add_argument("-h", "--host", default="127.0.0.1")
    run.add_argument("-p", "--port", type=int, default=5000)
    run.add_argument("--debug", action="store_true")
    args = parser.parse_args(argv)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        prepare_embedded_database()
    logging.getLogger("mini_shop").info("serving on http://%s:%s", args.host, args.port)
    app.run(
        host=args.host, port=args.port, debug=args.debug and app.config["ENV_MODE"] != "production"
    )


if __name__ == "__main__":
    main()
