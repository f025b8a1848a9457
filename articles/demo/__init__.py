"""The demo newsroom: sample content for ``manage.py load_demo`` (data only, no logic)."""
