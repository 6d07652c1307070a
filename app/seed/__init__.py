"""Seed data: system data for every install, demo data outside production."""

import logging

from flask import Flask

from app.seed.demo import DEMO_PASSWORD, seed_demo
from app.seed.system import seed_system

logger = logging.getLogger("mini_shop.seed")


class SeedRefused(RuntimeError):
    pass


def load_demo(app: Flask) -> None:
    if app.config["ENV_MODE"] == "production":
        raise SeedRefused("demo data is never loaded under the production config")
    seed_system(app)
    emails = seed_demo()
    logger.warning(
        "demo accounts exist: %s (password %s); never use them in production",
        ", ".join(emails),
        DEMO_PASSWORD,
    )


__all__ = ["load_demo", "seed_system", "SeedRefused"]
