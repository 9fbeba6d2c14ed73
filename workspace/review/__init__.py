"""Maker-checker in the workspace: editors propose updates to their zones' records
(:class:`~workspace.models.ChangeRequest`), reviewers approve or return them.

- :mod:`.editable`: which fields of which record types an editor may change;
- :mod:`.forms`, :mod:`.views`: the editing form and the review pages;
- :mod:`.selectors`, :mod:`.services`: reads, and submit / approve / return;
- :mod:`.alerts`, :mod:`.tasks`: the daily digest of overdue milestones.

Who may edit or review which zone is :mod:`accounts.roles`' one scope rule.
"""
