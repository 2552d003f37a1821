"""rightful: an agent-based laboratory of labour contention."""

__version__ = "0.1.0"
