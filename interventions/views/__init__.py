"""Intervention pages. Thin: find what the user may see (404 otherwise), check the right to
change (403), bind a form, call a service, redirect.

Who may do what: everyone with a role in the association reads (Action.VIEW); the office
(Action.EDIT_INTERVENTIONS) keeps the registry and registers requests; the secretary (who
also writes the minutes, Action.EDIT_MINUTES) puts requests on the agenda and records the
board's decision; follow-up figures are entered by the office or the intervention's contact.

registry: the list, an intervention's page, steering group, documents, funding; supplementary:
supplementary requests; follow_up: indicators, follow-up and its PDF; action_items: tasks from
decisions. common: what they share.
"""
