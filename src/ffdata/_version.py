"""The single source of the package and data version."""

__version__ = "0.2.0"
