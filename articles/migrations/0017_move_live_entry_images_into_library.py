"""Every live entry's own picture becomes a library image, as 0014 did for hero images.

Nothing is lost: the file (its name is kept, no copy), alt text, caption and
renditions move to a ``MediaImage`` row that becomes the entry's ``media``;
entries with the same file share one row (an existing library row for that
file, a hero image's, is reused). The row counts as uploaded for the entry's
story (deleting the story deletes it once nothing shows it), by whoever
posted the entry, when they did. Reversible: going back copies them onto the
entry again.
"""

from django.db import migrations


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


def _name(value):
    return value.name if hasattr(value, "name") else value


def move_into_library(apps, schema_editor):
    LiveEntry = apps.get_model("articles", "LiveEntry")
    MediaImage = apps.get_model("articles", "MediaImage")
    by_file = {}
    entries = LiveEntry.objects.exclude(image="").exclude(image__isnull=True)
    for entry in entries.order_by("pk").iterator():
        name = _name(entry.image)
        image = by_file.get(name)
        if image is None:
            image = MediaImage.objects.filter(file=name).order_by("pk").first()
        if image is None:
            width, height = _size(entry.image_renditions)
            image = MediaImage.objects.create(
                file=name,
                alt_text=entry.image_alt,
                caption=entry.image_caption,
                renditions=entry.image_renditions or {},
                width=width,
                height=height,
                uploaded_by_id=entry.created_by_id,
                uploaded_at=entry.created_at,
                uploaded_for_id=entry.article_id,
            )
        by_file[name] = image
        LiveEntry.objects.filter(pk=entry.pk).update(media=image)


def move_back(apps, schema_editor):
    LiveEntry = apps.get_model("articles", "LiveEntry")
    for entry in LiveEntry.objects.exclude(media=None).select_related("media"):
        image = entry.media
        LiveEntry.objects.filter(pk=entry.pk).update(
            image=_name(image.file),
            image_alt=image.alt_text,
            image_caption=image.caption,
            image_renditions=image.renditions or {},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_liveentry_media"),
    ]

    operations = [
        migrations.RunPython(move_into_library, move_back),
    ]
