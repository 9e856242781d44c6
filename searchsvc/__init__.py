"""searchsvc: full-text search over news passages (who said what, where and when)."""

__version__ = "0.1.0"
