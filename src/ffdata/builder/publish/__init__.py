"""Stages 6 to 8: assemble the tables, validate them, write them all or nothing."""
