"""Create the role groups with their model permissions.

Public visitors and investors need no account. Object-level scope (which zones) comes from
accounts.Assignment and is checked in every view, on top of these permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ_MODELS = [
    ("zones", "province"),
    ("zones", "sector"),
    ("zones", "zone"),
    ("zones", "utilityconnection"),
    ("zones", "landdispute"),
    ("zones", "milestone"),
    ("zones", "target"),
    ("zones", "readinesssnapshot"),
    ("investors", "firm"),
]

ROLE_PERMISSIONS = {
    "Planning officials": [("view", app, model) for app, model in READ_MODELS],
    "Zone editors": [
        *[("view", app, model) for app, model in READ_MODELS],
        ("add", "workspace", "changerequest"),
    ],
    "Reviewers": [
        *[("view", app, model) for app, model in READ_MODELS],
        ("view", "workspace", "changerequest"),
        ("review", "workspace", "changerequest"),
    ],
    "Administrators": "all",
}
ADMIN_APPS = ["zones", "investors", "workspace", "accounts"]


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        if wanted == "all":
            permissions = Permission.objects.filter(content_type__app_label__in=ADMIN_APPS)
        else:
            permissions = [
                Permission.objects.get(
                    content_type__app_label=app, codename=f"{action}_{model}"
                )
                for action, app, model in wanted
            ]
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("workspace", "0001_initial"),
        ("zones", "0002_reference_data"),
        ("investors", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
