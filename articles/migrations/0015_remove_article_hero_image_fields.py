"""The hero image fields of the article are gone: 0012 moved them into the library."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_move_hero_images_into_library"),
    ]

    operations = [
        migrations.RemoveField(
            model_name='article',
            name='hero_image',
        ),
        migrations.RemoveField(
            model_name='article',
            name='hero_image_alt',
        ),
        migrations.RemoveField(
            model_name='article',
            name='hero_image_caption',
        ),
        migrations.RemoveField(
            model_name='article',
            name='hero_image_credit',
        ),
        migrations.RemoveField(
            model_name='article',
            name='hero_image_renditions',
        ),
    ]
