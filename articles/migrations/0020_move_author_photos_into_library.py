"""Every author's photo becomes a library image, as 0014 and 0017 did for heroes and entries.

Nothing is lost: the file (its name is kept, no copy) moves to a
``MediaImage`` row that becomes the author's ``photo_media``; authors with
the same file share one row, and an existing library row for that file is
reused. A new row's alt text is the author's name and it counts as uploaded
for that author (deleting the author, or replacing the photo, deletes it once
nothing shows it). Its size is read from the file when the storage has it;
renditions are made at the next upload (until then the stripped original is
shown, as before). Reversible: going back puts the file on the author again.
"""

from django.db import migrations


def _name(value):
    return value.name if hasattr(value, "name") else value


def _size(name):
    """The stored picture's width and height, or ``(None, None)`` when it cannot be read."""
    from django.core.files.storage import default_storage
    from PIL import Image

    try:
        with default_storage.open(name, "rb") as stored, Image.open(stored) as picture:
            return picture.size
    except Exception:  # a missing or unreadable file must not stop the upgrade
        return None, None


def move_into_library(apps, schema_editor):
    Author = apps.get_model("articles", "Author")
    MediaImage = apps.get_model("articles", "MediaImage")
    by_file = {}
    authors = Author.objects.exclude(photo="").exclude(photo__isnull=True)
    for author in authors.order_by("pk").iterator():
        name = _name(author.photo)
        image = by_file.get(name)
        if image is None:
            image = MediaImage.objects.filter(file=name).order_by("pk").first()
        if image is None:
            width, height = _size(name)
            image = MediaImage.objects.create(
                file=name,
                alt_text=author.name[:250],
                width=width,
                height=height,
                uploaded_for_author_id=author.pk,
            )
        by_file[name] = image
        Author.objects.filter(pk=author.pk).update(photo_media=image)


def move_back(apps, schema_editor):
    Author = apps.get_model("articles", "Author")
    for author in Author.objects.exclude(photo_media=None).select_related("photo_media"):
        Author.objects.filter(pk=author.pk).update(photo=_name(author.photo_media.file))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_author_photo_media"),
    ]

    operations = [
        migrations.RunPython(move_into_library, move_back),
    ]
