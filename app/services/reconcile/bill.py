"""The WeChat Pay v3 trade bill of one day: fetched, checked against its hash, parsed.

The file (UTF-8 text, gzip-compressed when asked with tar_type=GZIP) has two parts, each a
header line of plain comma-separated Chinese column names followed by data lines whose every
field starts with a backtick (so that spreadsheets keep long numbers as text):

    交易时间,公众账号ID,商户号,...,微信订单号,商户订单号,...,交易状态,...,订单金额,申请退款金额,费率备注
    `2026-01-05 12:00:00,`wx...,`1900000001,...,`4200...,`20260105...,...,`SUCCESS,...,`0.01,`0.00,`
    总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额
    `1,`0.01,`0.00,`0.00,`0.00000,`0.01,`0.00

Detail lines are read by column name, not position, so a column WeChat adds later does not
shift the others. A refund appears as its own line with 交易状态 REFUND on the day it was made.
Amounts are yuan with two decimals; they are turned into integer fen exactly.
"""

import gzip
import hashlib
import zlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from app.core.exceptions import TradeBillHashMismatch, TradeBillMalformed, TradeBillUnavailable
from app.services import payment

SUMMARY_FIRST_COLUMN = "总交易单数"
# Detail columns read (the rest are kept in `raw` only).
TRADE_TIME = "交易时间"
APP_ID = "公众账号ID"
MCH_ID = "商户号"
TRANSACTION_ID = "微信订单号"
OUT_TRADE_NO = "商户订单号"
TRADE_STATE = "交易状态"
SETTLED_AMOUNT = "应结订单金额"
REFUND_ID = "微信退款单号"
OUT_REFUND_NO = "商户退款单号"
REFUND_AMOUNT = "退款金额"
REFUND_STATE = "退款状态"
ORDER_AMOUNT = "订单金额"
REFUND_APPLIED = "申请退款金额"
# Summary columns read.
ORDER_AMOUNT_TOTAL = "订单总金额"
REFUND_APPLIED_TOTAL = "申请退款总金额"
REQUIRED_COLUMNS = (TRANSACTION_ID, OUT_TRADE_NO, TRADE_STATE)
# A day WeChat has no bill for (no trade at all) answers 400 with this code.
NO_BILL_CODE = "NO_STATEMENT_EXIST"


@dataclass(frozen=True)
class BillRow:
    """One detail line: a payment (trade_state SUCCESS) or a refund (REFUND)."""

    trade_time: str
    transaction_id: str
    out_trade_no: str
    trade_state: str
    amount: int  # fen: the order amount of a payment, the refund asked of a refund
    refund_id: str = ""
    out_refund_no: str = ""
    refund_state: str = ""
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_refund(self) -> bool:
        return self.trade_state == "REFUND"


@dataclass(frozen=True)
class TradeBill:
    rows: list[BillRow]
    summary: dict  # column name -> text of the summary line
    hash_value: str = ""

    def summary_fen(self, column: str) -> int:
        text = self.summary.get(column, "")
        return to_fen(text, column) if text else 0


def to_fen(text: str, column: str) -> int:
    """Yuan text ("12.50", "0.01", "-0.27") as integer fen; more than two decimals refused."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise TradeBillMalformed(f"Trade bill: {column} is not an amount: {text[:20]!r}") from None
    fen = value * 100
    if not value.is_finite() or fen != fen.to_integral_value():
        raise TradeBillMalformed(f"Trade bill: {column} is not an amount: {text[:20]!r}")
    return int(fen)


def _fields(line: str) -> list[str]:
    """The fields of a data line: each one starts with a backtick."""
    if not line.startswith("`"):
        raise TradeBillMalformed(f"Trade bill: a data line does not start with `: {line[:40]!r}")
    return line[1:].split(",`")


def parse(text: str) -> TradeBill:
    """Parse the decompressed bill text."""
    lines = [line.strip("\r") for line in text.lstrip("\ufeff").split("\n")]
    lines = [line for line in lines if line.strip()]
    if not lines:
        raise TradeBillMalformed("Trade bill is empty")
    header = lines[0].split(",")
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing or ORDER_AMOUNT not in header and SETTLED_AMOUNT not in header:
        raise TradeBillMalformed("Trade bill header lacks " + ", ".join(missing or ["订单金额"]))
    rows, summary = [], {}
    index = 1
    while index < len(lines) and not lines[index].startswith(SUMMARY_FIRST_COLUMN):
        values = _fields(lines[index])
        if len(values) != len(header):
            raise TradeBillMalformed(
                f"Trade bill line {index + 1} has {len(values)} fields, the header {len(header)}"
            )
        rows.append(_row(dict(zip(header, values, strict=True))))
        index += 1
    if index < len(lines):
        names = lines[index].split(",")
        if index + 1 >= len(lines):
            raise TradeBillMalformed("Trade bill summary has no values")
        values = _fields(lines[index + 1])
        if len(values) != len(names):
            raise TradeBillMalformed("Trade bill summary does not match its header")
        summary = dict(zip(names, values, strict=True))
    return TradeBill(rows=rows, summary=summary)


def _amount(values: dict, *columns: str) -> int:
    """The first of `columns` present in the bill, as fen."""
    for column in columns:
        if column in values:
            return to_fen(values[column], column)
    return 0


def _row(values: dict) -> BillRow:
    state = values[TRADE_STATE].strip()
    refund = state == "REFUND"
    return BillRow(
        trade_time=values.get(TRADE_TIME, "").strip(),
        transaction_id=values[TRANSACTION_ID].strip(),
        out_trade_no=values[OUT_TRADE_NO].strip(),
        trade_state=state,
        amount=(
            _amount(values, REFUND_APPLIED, REFUND_AMOUNT)
            if refund
            else _amount(values, ORDER_AMOUNT, SETTLED_AMOUNT)
        ),
        refund_id=values.get(REFUND_ID, "").strip() if refund else "",
        out_refund_no=values.get(OUT_REFUND_NO, "").strip() if refund else "",
        refund_state=values.get(REFUND_STATE, "").strip() if refund else "",
        raw=values,
    )


def decompress(content: bytes) -> bytes:
    try:
        return gzip.decompress(content)
    except (OSError, EOFError, zlib.error):
        raise TradeBillMalformed("Trade bill is not a gzip file") from None


def check_hash(data: bytes, hash_type: str, hash_value: str) -> None:
    """Refuse a bill whose decompressed bytes do not have the announced digest."""
    if str(hash_type).upper() != "SHA1":
        raise TradeBillMalformed(f"Trade bill hash type {hash_type!r} is not supported")
    if hashlib.sha1(data).hexdigest() != str(hash_value).strip().lower():
        raise TradeBillHashMismatch()


def fetch(bill_date: str) -> TradeBill:
    """Apply for the day's bill, download it, check its hash and parse it.

    A day without any trade has no bill at WeChat: it reads as an empty bill.
    """
    try:
        answer = payment.trade_bill(bill_date)
    except payment.GatewayError as error:
        if error.body.get("code") == NO_BILL_CODE:
            return TradeBill(rows=[], summary={})
        raise TradeBillUnavailable(f"Trade bill of {bill_date}: {str(error)[:160]}") from error
    url, hash_type, hash_value = (
        answer.get("download_url"),
        answer.get("hash_type"),
        answer.get("hash_value"),
    )
    if not (isinstance(url, str) and url and hash_type and hash_value):
        raise TradeBillUnavailable("WeChat Pay answered without a download URL and hash")
    try:
        content = payment.download_bill(url)
    except payment.GatewayError as error:
        raise TradeBillUnavailable(f"Trade bill download failed: {str(error)[:160]}") from error
    data = decompress(content)
    check_hash(data, hash_type, hash_value)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise TradeBillMalformed("Trade bill is not UTF-8 text") from None
    bill = parse(text)
    return TradeBill(rows=bill.rows, summary=bill.summary, hash_value=str(hash_value).lower())
