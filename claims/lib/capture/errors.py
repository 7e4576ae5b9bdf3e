"""The exception behind every failed capture: its message becomes the snapshot's ``error``."""

from __future__ import annotations


class CaptureError(Exception):
    """A capture failed for a reason that is reported in the snapshot, not raised."""
