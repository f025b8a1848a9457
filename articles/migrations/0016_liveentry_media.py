"""A live entry's picture is a library image (0017 moves the entries' own pictures there)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0015_remove_article_hero_image_fields'),
    ]

    operations = [
        migrations.AddField(
            model_name='liveentry',
            name='media',
            field=models.ForeignKey(blank=True, help_text='Optional: a picture of the media library, shown under the text.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='live_entries', to='articles.mediaimage', verbose_name='image'),
        ),
    ]
