"""Maintainer tools, apart from the stages: `make data`, release, pin, the report."""
