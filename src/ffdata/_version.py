"""The single source of the package and data version."""

__version__ = "0.1.0"
