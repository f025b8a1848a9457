"""The Moderators group, and comment moderation rights for Editors.

Moderators may view and change comments and moderate them (approve, spam,
remove, restore, reply as staff) and nothing else in the newsroom. Editors get
the same comment rights on top of theirs: this migration runs after the
articles migration that creates (and resets) the Editors group, and adds to it
without removing anything, so running it again changes nothing.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_PERMISSIONS = ["view_comment", "change_comment", "moderate_comment"]
GROUPS_THAT_MODERATE = ["Moderators", "Editors"]


def comment_permissions(apps):
    # Permissions are normally created after all migrations ran; make sure
    # they exist now, on a fresh database too.
    comments_config = apps.get_app_config("comments")
    comments_config.models_module = True
    create_permissions(comments_config, apps=apps, verbosity=0)
    Permission = apps.get_model("auth", "Permission")
    return list(
        Permission.objects.filter(
            content_type__app_label="comments",
            content_type__model="comment",
            codename__in=MODERATOR_PERMISSIONS,
        )
    )


def grant_moderation(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = comment_permissions(apps)
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.set(permissions)
    # Editors are created by the articles app; should they not exist (yet),
    # this creates the group with only comment rights and the articles
    # migration adds theirs.
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*permissions)


def revoke_moderation(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="comments", codename__in=MODERATOR_PERMISSIONS
    )
    for editors in Group.objects.filter(name="Editors"):
        editors.permissions.remove(*permissions)
    Group.objects.filter(name="Moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        # Runs after the Editors group is created (and reset to its article rights).
        ("articles", "0002_workflow_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_moderation, revoke_moderation)]
