"""Stage 1, inputs: the manifest, hash-checked files and the reviewed declarations, read once."""
