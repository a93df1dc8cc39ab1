"""Finance pages. Thin: find the budget the user may see (404 otherwise), call a service, render.

Who may do what: board members, auditors and the office read (Action.VIEW); the förbundschef
and the ekonom change outcomes and forecasts (Action.EDIT_FINANCE); anyone may read adopted
budgets when the association has made them public (Organisation.budgets_public).

budgets: list, table, versions, lines, settings; lines: one line's forecasts; outcomes: typed
and imported outcomes; contributions: medlemsinsats. common: what they all start with.
"""
