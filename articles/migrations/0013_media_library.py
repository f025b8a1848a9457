"""The media library (MediaImage), the article's hero as a library image, its figures."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0012_article_draft_of_changes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='MediaImage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.ImageField(max_length=200, upload_to='library/%Y/%m/')),
                ('alt_text', models.CharField(blank=True, help_text='Describe the picture for readers who cannot see it.', max_length=250, verbose_name='alt text')),
                ('caption', models.CharField(blank=True, max_length=300)),
                ('credit', models.CharField(blank=True, max_length=120)),
                ('focal_x', models.FloatField(default=0.5, verbose_name='focal point x')),
                ('focal_y', models.FloatField(default=0.5, verbose_name='focal point y')),
                ('width', models.PositiveIntegerField(blank=True, editable=False, null=True)),
                ('height', models.PositiveIntegerField(blank=True, editable=False, null=True)),
                ('renditions', models.JSONField(blank=True, default=dict, editable=False)),
                ('uploaded_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('uploaded_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('uploaded_for', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='articles.article')),
            ],
            options={
                'verbose_name': 'library image',
                'verbose_name_plural': 'media library',
                'ordering': ['-uploaded_at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='article',
            name='figures',
            field=models.ManyToManyField(blank=True, editable=False, related_name='in_bodies', to='articles.mediaimage'),
        ),
        migrations.AddField(
            model_name='article',
            name='hero_media',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='hero_of', to='articles.mediaimage', verbose_name='hero image'),
        ),
        migrations.AddIndex(
            model_name='mediaimage',
            index=models.Index(fields=['-uploaded_at', '-id'], name='mediaimage_newest_idx'),
        ),
        migrations.AddConstraint(
            model_name='mediaimage',
            constraint=models.CheckConstraint(condition=models.Q(('focal_x__gte', 0), ('focal_x__lte', 1), ('focal_y__gte', 0), ('focal_y__lte', 1)), name='mediaimage_focal_point_inside'),
        ),
    ]
