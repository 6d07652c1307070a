"""The fake's identity: the mini-program and merchant ids, secrets and the two test key pairs.

WeChat Pay signs with its platform key and the merchant signs with its API key; here both
pairs are generated once (RSA 2048, test use only) and kept in a JSON file, so that
`--print-env` and a later `wechat fake` run agree. Nothing here is a real credential.
"""

import json
import os
import secrets
import string
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

DEFAULT_KEYS_FILE = Path(__file__).resolve().parents[2] / "instance" / "fakewechat.json"


def _private_pem(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def public_pem(private_key) -> str:
    return (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@dataclass(frozen=True)
class Identity:
    app_id: str
    app_secret: str
    mchid: str
    apiv3_key: str
    merchant_serial: str
    merchant_private_pem: str
    platform_key_id: str
    platform_private_pem: str

    @cached_property
    def merchant_key(self):
        return serialization.load_pem_private_key(self.merchant_private_pem.encode(), None)

    @cached_property
    def platform_key(self):
        return serialization.load_pem_private_key(self.platform_private_pem.encode(), None)


def generate() -> Identity:
    def key():
        return _private_pem(rsa.generate_private_key(public_exponent=65537, key_size=2048))

    alphabet = string.ascii_letters + string.digits
    return Identity(
        app_id="wx" + secrets.token_hex(8),
        app_secret=secrets.token_hex(16),
        mchid="19" + "".join(secrets.choice(string.digits) for _ in range(8)),
        apiv3_key="".join(secrets.choice(alphabet) for _ in range(32)),
        merchant_serial=secrets.token_hex(20).upper(),
        merchant_private_pem=key(),
        platform_key_id="PUB_KEY_ID_" + "".join(secrets.choice(string.digits) for _ in range(22)),
        platform_private_pem=key(),
    )


def load_identity(path) -> Identity:
    """The identity kept in `path`; generated and written (mode 0600) when the file is missing."""
    path = Path(path)
    if path.exists():
        return Identity(**json.loads(path.read_text(encoding="utf-8")))
    identity = generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process wrote it first
        return Identity(**json.loads(path.read_text(encoding="utf-8")))
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(asdict(identity), handle, indent=1)
    return identity
