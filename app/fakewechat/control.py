"""The control side: the customer's actions and what the fake received.

POST   /_fake/pay/<out_trade_no>  the customer pays; the signed notification is sent
                                  before the answer. {"notify": false} skips it (a lost
                                  notification); paying again resends it.
GET    /_fake/calls               every API call received: method, path, query, body, time
DELETE /_fake/calls               forget them
GET    /_fake/trades              the transactions and refunds held
"""

from flask import Blueprint

from app.fakewechat.core import body_json, fake, json_answer
from app.fakewechat.pay import pay_trade, public_refund, public_trade

bp = Blueprint("control", __name__, url_prefix="/_fake")


@bp.post("/pay/<no>")
def customer_pays(no):
    options = body_json()
    notify = options.get("notify", True) is not False if isinstance(options, dict) else True
    answer, error = pay_trade(fake(), no, notify=notify)
    if answer is None:
        return json_answer({"error": error}, 404 if error.startswith("no prepay") else 409)
    return json_answer(answer)


@bp.get("/calls")
def list_calls():
    state = fake().state
    with state.lock:
        calls = list(state.calls)
    return json_answer({"calls": calls})


@bp.delete("/calls")
def clear_calls():
    state = fake().state
    with state.lock:
        state.calls.clear()
    return json_answer({"calls": []})


@bp.get("/trades")
def list_trades():
    state = fake().state
    with state.lock:
        trades = [public_trade(trade) for trade in state.trades.values()]
        refunds = [public_refund(refund) for refund in state.refunds.values()]
    return json_answer({"trades": trades, "refunds": refunds})
