"""The demo budgets: data.py holds the seeds' facts (and the illustrative population key,
marked as such), loader.py loads them (`load`, run by `manage.py load_demo` after minutes)."""
