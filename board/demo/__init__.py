"""The demo registry: data.py holds the seeds' facts, loader.py loads them (`load`, run by
`manage.py load_demo` before every other app's loader)."""
