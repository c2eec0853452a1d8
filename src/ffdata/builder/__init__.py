"""The builder: raw documents in, a validated, published data package out.

Nothing on the reader side (``ffdata.load`` and friends, the CLI's read
commands) imports this package; it needs the ``build`` extra (pandera,
frictionless, pycountry) and, for the report, the ``report`` extra.
"""
