"""The editors' desk: articles, sections, tags and author profiles in the admin.

The admin is a thin layer over ``articles.services`` and ``articles.permissions``.
One module per screen or concern:

- :mod:`.articles`: the article's change page and list (settings, fieldsets,
  columns, permissions, saving);
- :mod:`.workflow`: the workflow buttons and timeline, the step they post, the
  shareable preview link;
- :mod:`.revisions`: the saved versions, their diff, restoring one;
- :mod:`.changelist`: the list's queryset and filters, cheap over a large archive;
- :mod:`.actions`: bulk actions on the list;
- :mod:`.taxonomy`: sections, tags and author profiles;
- :mod:`.media`: the media library (search, filters, the focal point picker);
- :mod:`.live`: live stories and their entries (registers itself);
- :mod:`.mixins`: what they share (saving through the services, showing the
  form again when a save is refused).

This module only registers them.
"""

from django.contrib import admin

from articles.admin import live  # noqa: F401  (registers the live coverage screens)
from articles.admin.articles import ArticleAdmin
from articles.admin.media import MediaImageAdmin
from articles.admin.taxonomy import AuthorAdmin, SectionAdmin, TagAdmin
from articles.models import Article, Author, MediaImage, Section, Tag

admin.site.register(Article, ArticleAdmin)
admin.site.register(Section, SectionAdmin)
admin.site.register(Tag, TagAdmin)
admin.site.register(Author, AuthorAdmin)
admin.site.register(MediaImage, MediaImageAdmin)
