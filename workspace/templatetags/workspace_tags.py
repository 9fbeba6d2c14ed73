from django import template

from accounts.roles import can_edit_zone, sees_everything

from .. import selectors

register = template.Library()


@register.inclusion_tag("workspace/_pending_updates.html", takes_context=True)
def pending_updates(context, zone):
    """Updates waiting for review on this zone, shown to officials, reviewers and its editors."""
    user = context["request"].user
    visible = sees_everything(user) or can_edit_zone(user, zone)
    return {
        "zone": zone,
        "visible": visible,
        "pending": selectors.pending_for_zone(zone=zone) if visible else [],
    }
