"""The demo minutes: data.py holds the seeds' meetings, loader.py loads them (`load`, run by
`manage.py load_demo` after the board registry)."""
