"""Pages of the minutes: meeting list, new meeting, kallelse, editor and preview.

Views are thin: find the meeting (404 to anyone who may not see it), check the right to
change (403), bind a form, call a service. Every form is a normal POST that redirects back
to the page; the paragraph form also autosaves through HTMX and then answers with a fragment.

meetings: the lists, a new meeting, the numbering and the meeting page with its kallelse;
agenda: items and handlingar; attendance: närvaro and justerare; editor: the editor, the
preview and the paragraphs; parts: votes, reservations, notes and recusals on a §. common:
what they share.
"""
