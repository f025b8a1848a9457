"""The live entry's own image fields are gone: 0017 moved them into the library."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0017_move_live_entry_images_into_library'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='liveentry',
            name='image',
        ),
        migrations.RemoveField(
            model_name='liveentry',
            name='image_alt',
        ),
        migrations.RemoveField(
            model_name='liveentry',
            name='image_caption',
        ),
        migrations.RemoveField(
            model_name='liveentry',
            name='image_renditions',
        ),
    ]
