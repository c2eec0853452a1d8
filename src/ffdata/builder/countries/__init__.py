"""Stage 4, countries: names as printed to ISO codes, regions, population, per-capita rates."""
