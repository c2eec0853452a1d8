"""Extractors: each finds its table, list or figure in a document by content.

Every extracted value keeps the document, the 1-based line and the exact text
as printed, so that a reader can open the document at that line and see it.
"""
