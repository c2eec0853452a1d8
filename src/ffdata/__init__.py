"""ffdata: foreign fighters who joined the Islamic State, country figures with provenance.

Example:
    >>> import ffdata
    >>> ffdata.__version__  # doctest: +ELLIPSIS
    '...'
"""

from ffdata._version import __version__

__all__ = ["__version__"]
