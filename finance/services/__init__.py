"""Everything that changes budgets, outcomes, forecasts and contributions, by what it changes:
budgets (groups, lines, versions, adoption, revisions), outcomes, forecasts, allocations
(settings, state allocation, population key, equity); amounts reads and bounds amounts. The
outcome import from the accounting system is finance.imports.

Views, the API, the demo loader and tasks call these; each runs in one transaction, records
the acting user in the history and, where the act matters, an audit event.
"""
