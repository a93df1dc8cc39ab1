"""The demo interventions: data.py holds the seeds' facts (and the illustrative figures, marked
as such), loader.py loads them (`load`, run by `manage.py load_demo` after finance)."""
