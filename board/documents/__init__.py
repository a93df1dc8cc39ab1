"""Issued documents: every sealed PDF the product issues (a Django app inside board, label
"documents"; see services.py). The ground floor of every app that issues a PDF."""
