"""Create a super administrator: `python fake.py [--email E] [--password P]` (idempotent)."""

import argparse
import getpass
import secrets
import sys

from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import User
from app.models.user import AUTH_SUPER


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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Create a super administrator.")
    parser.add_argument("--email")
    parser.add_argument("--password")
    parser.add_argument("--nickname", default="Admin")
    args = parser.parse_args(argv)
    interactive = sys.stdin.isatty()
    email = args.email or (input("Email: ").strip() if interactive else "admin@example.com")
    password, generated = args.password, False
    if not password and interactive:
        password = getpass.getpass("Password (empty: generate one): ")
    if not password:
        password, generated = secrets.token_urlsafe(12), True
    if len(password) < 8:
        print("The password must have at least 8 characters.", file=sys.stderr)
        return 2
    app = create_app()
    with app.app_context():
        user, created = create_super_admin(email, password, args.nickname)
    if not created:
        print(f"A user with email {user.email} already exists (id {user.id}); nothing changed.")
        return 0
    print(f"Super admin {user.email} created (id {user.id}).")
    if generated:
        print(f"Generated password (shown once): {password}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
