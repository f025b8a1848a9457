from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """The sysadmin's commands: backup/restore, the export and import, the chores.

    Project-level wiring like ``newsroom``: it may know every app, no app knows it.
    """

    name = "operations"
    verbose_name = "Operations"
