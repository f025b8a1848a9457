"""Every article's hero image becomes a library image, and the roles may use the library.

Nothing is lost: the file (its name is kept, no copy), alt text, caption,
credit and renditions move to a ``MediaImage`` row that becomes the
article's ``hero_media``; two articles with the same file share one row.
Reversible: going back copies them onto the article again.

Editors may add, change and delete library images; reporters add and change
them (uploading is what they need; deleting what others use is not).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

LIBRARY_PERMISSIONS = {
    "Reporters": ["add_mediaimage", "change_mediaimage", "view_mediaimage"],
    "Editors": ["add_mediaimage", "change_mediaimage", "delete_mediaimage", "view_mediaimage"],
}


def _size(renditions):
    data = renditions if isinstance(renditions, dict) else {}
    sizes = []
    for key in ("width", "height"):
        try:
            value = int(data.get(key))
        except (TypeError, ValueError):
            value = None
        sizes.append(value if value and value > 0 else None)
    return sizes


def move_into_library(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    MediaImage = apps.get_model("articles", "MediaImage")
    by_file = {}
    articles = Article.objects.exclude(hero_image="").exclude(hero_image__isnull=True)
    for article in articles.order_by("pk").iterator():
        name = article.hero_image.name if hasattr(article.hero_image, "name") else article.hero_image
        image = by_file.get(name)
        if image is None:
            width, height = _size(article.hero_image_renditions)
            image = MediaImage.objects.create(
                file=name,
                alt_text=article.hero_image_alt,
                caption=article.hero_image_caption,
                credit=article.hero_image_credit,
                renditions=article.hero_image_renditions or {},
                width=width,
                height=height,
                uploaded_by_id=article.created_by_id,
                uploaded_at=article.created_at,
                uploaded_for_id=article.pk,
            )
            by_file[name] = image
        Article.objects.filter(pk=article.pk).update(hero_media=image)


def move_back(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.exclude(hero_media=None).select_related("hero_media"):
        image = article.hero_media
        Article.objects.filter(pk=article.pk).update(
            hero_image=image.file.name if hasattr(image.file, "name") else image.file,
            hero_image_alt=image.alt_text,
            hero_image_caption=image.caption,
            hero_image_credit=image.credit,
            hero_image_renditions=image.renditions or {},
        )


def grant_library_permissions(apps, schema_editor):
    articles_config = apps.get_app_config("articles")
    articles_config.models_module = True
    create_permissions(articles_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in LIBRARY_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="articles", codename__in=codenames
            )
        )


def revoke_library_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=LIBRARY_PERMISSIONS):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="articles", codename__endswith="_mediaimage"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_media_library"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(move_into_library, move_back),
        migrations.RunPython(grant_library_permissions, revoke_library_permissions),
    ]
