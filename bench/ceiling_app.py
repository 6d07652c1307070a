"""The ceiling: a trivial Flask app answering constant JSON, served with the same gunicorn
settings as the shop (`gunicorn -c deploy/gunicorn.conf.py --pythonpath bench ceiling_app:app`).
Whatever the shop reaches is compared with what this app reaches on the same machine."""

from flask import Flask

app = Flask(__name__)

PAYLOAD = {"error_code": 0, "msg": "ok", "data": {"id": 1, "name": "ceiling"}}


@app.get("/ping")
def ping():
    return PAYLOAD
