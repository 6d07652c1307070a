"""Create a super administrator: `python fake.py [--email E] [--password P] [--nickname N]`.

The same as `flask --app server create-admin ...` (app/cli.py); idempotent.
"""

import sys

from app import create_app
from app.cli import invoke


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    return invoke(create_app(), ["create-admin", *args], prog_name="fake.py")


if __name__ == "__main__":
    sys.exit(main())
