"""Stage 2, review: the reviewed declarations checked against the documents they quote."""
