"""Overdue-milestone digests for the editors and reviewers responsible for them."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import assignment_covers, assignments_in_force
from zones.models import Milestone


def overdue_digests_send() -> int:
    """Send each responsible person one digest; returns how many e-mails were sent.

    The people responsible for a zone are those whose scope covers it by the permission
    checks' own rule (:func:`accounts.roles.assignments_in_force`): an active user, still in
    the group of the assignment's role. Someone taken out of the editors' group gets no more
    digests, as they may edit nothing any more. Administrators get digests only for the
    zones they are assigned to in a role they hold, not for every zone they may edit.

    Reads all overdue milestones, all assignments in force and their users in three
    queries, then matches them in memory: the numbers involved (hundreds of people,
    thousands of milestones) are small.
    """
    today = timezone.localdate()
    overdue = list(
        Milestone.objects.overdue(today)
        .select_related("zone", "zone__province")
        .order_by("planned_date")
    )
    if not overdue:
        return 0
    by_user: dict[int, set[int]] = defaultdict(set)
    for assignment in assignments_in_force():
        for index, milestone in enumerate(overdue):
            if assignment_covers(
                assignment, zone_id=milestone.zone_id, province_id=milestone.zone.province_id
            ):
                by_user[assignment["user_id"]].add(index)
    users = get_user_model().objects.in_bulk(list(by_user))
    messages = []
    with translation.override("en"):
        for user_id, indexes in by_user.items():
            if not users[user_id].email:
                continue
            items = [overdue[i] for i in sorted(indexes)]
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
            subject = ngettext(
                "%(count)d overdue milestone in your zones",
                "%(count)d overdue milestones in your zones",
                len(items),
            ) % {"count": len(items)}
            body = "\n".join([_("Overdue milestones as of %s:") % today.isoformat(), "", *lines])
            messages.append((subject, body, None, [users[user_id].email]))
    send_mass_mail(messages, fail_silently=False)
    return len(messages)
