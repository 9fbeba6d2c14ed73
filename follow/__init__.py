"""Follow and reuse: the public change log and its feeds."""
