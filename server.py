"""Entry point: `python server.py run [-h HOST] [-p PORT] [--debug]`; `server:app` for gunicorn.

`server.py run` is `flask --app server prepare-db` followed by `flask --app server run`; the
commands live in app/cli.py. `flask --app server run` prepares the database the same way.
"""

import argparse
import logging
import sys

from app import create_app
from app.cli import invoke, prepare_for_flask_run
from app.config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    sys.exit(f"mini-shop-server refuses to start: {error}")

prepare_for_flask_run(app)


def main(argv=None) -> int:
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
    status = invoke(app, ["prepare-db"], prog_name="server.py")
    if status:
        return status
    logging.getLogger("mini_shop").info("serving on http://%s:%s", args.host, args.port)
    debug = args.debug and app.config["ENV_MODE"] != "production"
    flag = "--debug" if debug else "--no-debug"
    return invoke(
        app, [flag, "run", "--host", args.host, "--port", str(args.port)], prog_name="server.py"
    )


if __name__ == "__main__":
    sys.exit(main())
