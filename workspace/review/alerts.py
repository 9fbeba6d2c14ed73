"""Overdue digests for the editors and reviewers responsible: milestones past their planned
date, and annual returns not filed for the year just ended."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import assignment_covers, assignments_in_force
from zones.models import Milestone

from .returns_due import overdue_returns


def overdue_digests_send() -> int:
    """Send each responsible person one digest; returns how many e-mails were sent.

    The people responsible for a zone are those whose scope covers it by the permission
    checks' own rule (:func:`accounts.roles.assignments_in_force`): an active user, still in
    the group of the assignment's role. Someone taken out of the editors' group gets no more
    digests, as they may edit nothing any more. Administrators get digests only for the
    zones they are assigned to in a role they hold, not for every zone they may edit.

    Reads all overdue milestones, the firms whose return is due, all assignments in force
    and their users in four queries, then matches them in memory: the numbers involved
    (hundreds of people, thousands of milestones and firms) are small.
    """
    today = timezone.localdate()
    overdue = list(
        Milestone.objects.overdue(today)
        .select_related("zone", "zone__province")
        .order_by("planned_date")
    )
    due_year, unfiled = overdue_returns(today=today)
    if not overdue and not unfiled:
        return 0
    by_user: dict[int, set[int]] = defaultdict(set)
    returns_by_user: dict[int, set[int]] = defaultdict(set)
    for assignment in assignments_in_force():
        for index, milestone in enumerate(overdue):
            if assignment_covers(
                assignment, zone_id=milestone.zone_id, province_id=milestone.zone.province_id
            ):
                by_user[assignment["user_id"]].add(index)
        for index, firm in enumerate(unfiled):
            if assignment_covers(assignment, zone_id=firm.zone_id, province_id=firm.province_id):
                returns_by_user[assignment["user_id"]].add(index)
    users = get_user_model().objects.in_bulk([*by_user, *returns_by_user])
    messages = []
    with translation.override("en"):
        for user_id in users:
            if not users[user_id].email:
                continue
            items = [overdue[i] for i in sorted(by_user.get(user_id, ()))]
            firms = [unfiled[i] for i in sorted(returns_by_user.get(user_id, ()))]
            lines = [
                _("%(zone)s: %(title)s, planned %(date)s (%(days)d days overdue; %(level)s)")
                % {
                    "zone": m.zone.name,
                    "title": m.title,
                    "date": m.planned_date.isoformat(),
                    "days": (today - m.planned_date).days,
                    "level": m.get_responsible_display(),
                }
                for m in items
            ]
            subjects = []
            body: list[str] = []
            if items:
                subjects.append(
                    ngettext(
                        "%(count)d overdue milestone",
                        "%(count)d overdue milestones",
                        len(items),
                    )
                    % {"count": len(items)}
                )
                body += [_("Overdue milestones as of %s:") % today.isoformat(), "", *lines]
            if firms:
                subjects.append(
                    ngettext(
                        "%(count)d annual return not filed",
                        "%(count)d annual returns not filed",
                        len(firms),
                    )
                    % {"count": len(firms)}
                )
                body += [
                    *([""] if body else []),
                    _("Operating firms without a return for %d:") % due_year,
                    "",
                    *(_return_line(firm) for firm in firms),
                ]
            subject = _("%s in your zones") % _(" and ").join(subjects)
            messages.append((subject, "\n".join(body), None, [users[user_id].email]))
    send_mass_mail(messages, fail_silently=False)
    return len(messages)


def _return_line(firm) -> str:
    if firm.last_year is None:
        return _("%(zone)s: %(firm)s (no return filed yet)") % {
            "zone": firm.zone,
            "firm": firm.firm,
        }
    return _("%(zone)s: %(firm)s (last return: %(year)d)") % {
        "zone": firm.zone,
        "firm": firm.firm,
        "year": firm.last_year,
    }
