"""WeChat Pay v3 signatures as the platform makes and checks them.

- Answers and notifications: `Wechatpay-Signature` is the platform key's SHA256-RSA signature of
  "timestamp\\nnonce\\nbody\\n", with `Wechatpay-Serial` naming the platform public key.
- Requests: the merchant's `Authorization: WECHATPAY2-SHA256-RSA2048 mchid=...,signature=...`
  signs "METHOD\\npath?query\\ntimestamp\\nnonce\\nbody\\n" with the merchant key.
- Notification resources are AEAD_AES_256_GCM encrypted with the APIv3 key.
"""

import base64
import json
import re
import secrets
import time

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256

SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"
MAX_SKEW = 300


def sign(private_key, message: str) -> str:
    return base64.b64encode(private_key.sign(message.encode(), PKCS1v15(), SHA256())).decode()


def signed_headers(identity, body: str) -> dict:
    timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
    return {
        "Wechatpay-Timestamp": timestamp,
        "Wechatpay-Nonce": nonce,
        "Wechatpay-Serial": identity.platform_key_id,
        "Wechatpay-Signature-Type": SIGNATURE_TYPE,
        "Wechatpay-Signature": sign(identity.platform_key, f"{timestamp}\n{nonce}\n{body}\n"),
    }


def merchant_request_error(
    identity, header: str, method: str, path_and_query: str, body: bytes
) -> str:
    """Why a merchant request's Authorization header is refused ("" when it is valid)."""
    if not header.startswith(SIGNATURE_TYPE + " "):
        return "Authorization is not WECHATPAY2-SHA256-RSA2048"
    fields = dict(re.findall(r'(\w+)="([^"]*)"', header))
    if fields.get("mchid") != identity.mchid:
        return "mchid does not match"
    if fields.get("serial_no") != identity.merchant_serial:
        return "serial_no does not name the merchant certificate"
    timestamp = fields.get("timestamp", "")
    if not timestamp.isdigit() or abs(int(timestamp) - time.time()) > MAX_SKEW:
        return "timestamp is missing or too far from now"
    message = (
        f"{method}\n{path_and_query}\n{timestamp}\n{fields.get('nonce_str', '')}\n"
        f"{body.decode('utf-8', 'replace')}\n"
    )
    try:
        identity.merchant_key.public_key().verify(
            base64.b64decode(fields.get("signature", "")), message.encode(), PKCS1v15(), SHA256()
        )
    except (InvalidSignature, ValueError):
        return "signature does not verify"
    return ""


def notification(identity, event_type: str, resource_type: str, resource: dict) -> tuple:
    """(headers, body) of a signed notification whose resource is encrypted."""
    nonce = secrets.token_hex(6)  # 12 characters, the GCM nonce as text
    cipher = AESGCM(identity.apiv3_key.encode()).encrypt(
        nonce.encode(), json.dumps(resource, ensure_ascii=False).encode(), resource_type.encode()
    )
    body = json.dumps(
        {
            "id": secrets.token_hex(16),
            "create_time": resource.get("success_time") or "",
            "resource_type": "encrypt-resource",
            "event_type": event_type,
            "summary": "支付成功" if event_type.startswith("TRANSACTION") else "退款成功",
            "resource": {
                "original_type": resource_type,
                "algorithm": "AEAD_AES_256_GCM",
                "ciphertext": base64.b64encode(cipher).decode(),
                "associated_data": resource_type,
                "nonce": nonce,
            },
        },
        ensure_ascii=False,
    )
    headers = signed_headers(identity, body)
    headers["Content-Type"] = "application/json"
    return headers, body
