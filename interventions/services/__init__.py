"""Everything that changes interventions, by what it changes: registry (interventions, the
parties rule, steering group, documents, funding), supplementary (supplementary requests and their
decisions), follow_up (indicators and follow-up). Action items are interventions.action_items.

Views, the API and the demo loader call these. Each runs in one transaction, records the
acting user in the history (`save_with_actor`) and, where the act matters, an AuditEvent.
Minutes and budgets are changed only through the minutes' and finance's own services.
"""
