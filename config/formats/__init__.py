"""Number and date formats where Django's own locale formats do not suit our readers.

Django ships no formats for Urdu (numbers would lose their thousands separators and dates
would take the English order) and groups Chinese numbers in fours with no separator. Only
what is set here overrides Django's formats; everything else falls back to them.
"""
