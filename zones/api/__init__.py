"""The public read-only REST API for zones (Django REST framework)."""
