"""The delegation order, the register of delegated decisions and their report to the board.

services: record a line and a decision (refusing one outside the order), the report paragraph
"Anmälan av delegationsbeslut", and the notice of an appealable decision not reported.
receivers: when the minutes with a report paragraph are justerade, its decisions count as
reported. views/urls: the order, the register (search, year, Excel export) and the buttons.
"""
