"""Signing methods of the justering: one module per method behind one interface (base.py).

Each method starts a signature of a version's SHA-256 for a person, is polled until it
completes or fails, and can verify the evidence it produced from that evidence and the
SHA-256 alone (so the sealed PDF can be checked offline, years later).
"""
