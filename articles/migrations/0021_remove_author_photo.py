"""Author photos live in the media library since 0020: the profile's own file field goes."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0020_move_author_photos_into_library'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='author',
            name='photo',
        ),
    ]
