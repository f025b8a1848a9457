"""The newsroom's roles as groups with exact permissions.

Reporters write and submit their own drafts; Editors may do everything with
articles, sections, tags, author profiles and corrections. (The Moderators
group belongs to the comments app and is created there.)

Running the migration again resets both groups to exactly these permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    "Reporters": [
        ("articles", "article", "add_article"),
        ("articles", "article", "change_article"),
        ("articles", "article", "view_article"),
        ("articles", "section", "view_section"),
        ("articles", "tag", "view_tag"),
        ("articles", "author", "view_author"),
    ],
    "Editors": [
        ("articles", "article", "add_article"),
        ("articles", "article", "change_article"),
        ("articles", "article", "delete_article"),
        ("articles", "article", "view_article"),
        ("articles", "article", "publish_article"),
        ("articles", "article", "review_article"),
        ("articles", "section", "add_section"),
        ("articles", "section", "change_section"),
        ("articles", "section", "delete_section"),
        ("articles", "section", "view_section"),
        ("articles", "tag", "add_tag"),
        ("articles", "tag", "change_tag"),
        ("articles", "tag", "delete_tag"),
        ("articles", "tag", "view_tag"),
        ("articles", "author", "add_author"),
        ("articles", "author", "change_author"),
        ("articles", "author", "delete_author"),
        ("articles", "author", "view_author"),
        ("articles", "correction", "add_correction"),
        ("articles", "correction", "change_correction"),
        ("articles", "correction", "delete_correction"),
        ("articles", "correction", "view_correction"),
        ("articles", "articletransition", "view_articletransition"),
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make sure
    # they exist now, on a fresh database too.
    articles_config = apps.get_app_config("articles")
    articles_config.models_module = True
    create_permissions(articles_config, apps=apps, verbosity=0)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, wanted in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        permissions = [
            Permission.objects.get(
                content_type__app_label=app_label,
                content_type__model=model,
                codename=codename,
            )
            for app_label, model, codename in wanted
        ]
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
