"""The one error a backup or a restore raises; its message is for a sysadmin."""

from __future__ import annotations


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for a sysadmin."""
