"""The fake's trade bill (bill_type ALL): one line per payment made and per refund made that day.

Written as WeChat Pay writes it: a header of column names, backtick-prefixed data lines, then
the summary header and its one line of totals. Amounts are yuan with two decimals.
"""

from dataclasses import dataclass
from decimal import Decimal

COLUMNS = (
    "交易时间",
    "公众账号ID",
    "商户号",
    "特约商户号",
    "设备号",
    "微信订单号",
    "商户订单号",
    "用户标识",
    "交易类型",
    "交易状态",
    "付款银行",
    "货币种类",
    "应结订单金额",
    "代金券金额",
    "微信退款单号",
    "商户退款单号",
    "退款金额",
    "充值券退款金额",
    "退款类型",
    "退款状态",
    "商品名称",
    "商户数据包",
    "手续费",
    "费率",
    "订单金额",
    "申请退款金额",
    "费率备注",
)
SUMMARY_COLUMNS = (
    "总交易单数",
    "应结订单总金额",
    "退款总金额",
    "充值券退款总金额",
    "手续费总金额",
    "订单总金额",
    "申请退款总金额",
)
FEE_RATE = Decimal("0.006")


def yuan(fen: int) -> str:
    return f"{Decimal(fen) / 100:.2f}"


def _fee(fen: int) -> Decimal:
    return (Decimal(fen) * FEE_RATE / 100).quantize(Decimal("0.01"))


def _line(values) -> str:
    return ",".join("`" + str(value) for value in values)


@dataclass(frozen=True)
class Line:
    values: list
    amount: int  # fen: paid, or refunded
    fee: Decimal
    refund: bool


def payment_line(identity, trade: dict, when: str) -> Line:
    total = trade["amount"]["total"]
    fee = _fee(total)
    values = [
        when,
        trade["appid"],
        identity.mchid,
        "0",
        "",
        trade["transaction_id"],
        trade["out_trade_no"],
        trade["payer"]["openid"],
        "JSAPI",
        "SUCCESS",
        "OTHERS",
        "CNY",
        yuan(total),
        "0.00",
        "0",
        "0",
        "0.00",
        "0.00",
        "",
        "",
        trade.get("description", ""),
        trade.get("attach", ""),
        f"{fee:.5f}",
        "0.60%",
        yuan(total),
        "0.00",
        "",
    ]
    return Line(values, total, fee, refund=False)


def refund_line(identity, trade: dict, refund: dict, when: str) -> Line:
    amount = refund["amount"]["refund"]
    fee = -_fee(amount)
    values = [
        when,
        trade["appid"],
        identity.mchid,
        "0",
        "",
        trade["transaction_id"],
        trade["out_trade_no"],
        trade["payer"]["openid"],
        "JSAPI",
        "REFUND",
        "OTHERS",
        "CNY",
        "0.00",
        "0.00",
        refund["refund_id"],
        refund["out_refund_no"],
        yuan(amount),
        "0.00",
        "ORIGINAL",
        refund["status"],
        trade.get("description", ""),
        trade.get("attach", ""),
        f"{fee:.5f}",
        "0.60%",
        "0.00",
        yuan(amount),
        "",
    ]
    return Line(values, amount, fee, refund=True)


def bill_text(lines: list[Line]) -> str:
    """The whole file: detail lines (payments and refunds) and the summary."""
    paid = sum(line.amount for line in lines if not line.refund)
    refunded = sum(line.amount for line in lines if line.refund)
    fees = sum((line.fee for line in lines), Decimal(0))
    out = [",".join(COLUMNS)]
    out += [_line(line.values) for line in lines]
    out.append(",".join(SUMMARY_COLUMNS))
    out.append(
        _line(
            [
                len(lines),
                yuan(paid),
                yuan(refunded),
                "0.00",
                f"{fees:.5f}",
                yuan(paid),
                yuan(refunded),
            ]
        )
    )
    return "\r\n".join(out) + "\r\n"
