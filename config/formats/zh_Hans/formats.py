"""Simplified Chinese: Django's dates, but figures grouped in threes with commas, as in
financial and investment reports (Django's default groups in fours with no separator)."""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
