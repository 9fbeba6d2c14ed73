"""Kept for :mod:`workspace.templatetags.workspace_tags` only, which reads the updates waiting
on a zone from here; the workspace's reads live in :mod:`workspace.review.selectors` and
:mod:`workspace.imports.selectors`. Import from those."""

from .review.selectors import pending_for_zone

__all__ = ["pending_for_zone"]
