"""HTTP layer: the /v1 and /v2 blueprints and the misc routes.

A view parses (validators), calls one service verb and shapes the answer (schemas).
"""
