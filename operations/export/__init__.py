"""The way out: all content as one JSON document, and the way back in.

``export_site`` writes the format described by ``docs/export-schema.json``
(JSON Schema, draft 2020-12); ``import_site`` reads it into an empty database,
so that export → import → export gives the same document (but for
``exported_at``). Everything is referred to by what a reader or another CMS can
use: sections, tags and authors by slug, people by username, images by their
storage path, comments by an id local to the file (``c1``, ``c2``...), never by
our database keys.

What it holds: sections, tags, authors (with their photo), every article in
every state with its full revision history (django-reversion), its hero image
(path, size, renditions, alt text, caption, credit), its public corrections and
its approved comments with their threading. A comment whose parent is not
approved is exported at the top level. Staff logins are exported by username
and name only; the import creates them without a usable password.

Private data stays out unless asked for (``include_private=True``): commenters'
email addresses, IP addresses and browsers, and staff email addresses.

The import writes rows directly, like a restore: it is not an editorial act,
so no workflow step, notification or revision is added.
"""

from operations.export.document import FORMAT, FORMAT_VERSION, SCHEMA_PATH, ExportError
from operations.export.exporter import export_site
from operations.export.importer import import_site
from operations.export.media import copy_media_out, media_paths

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "SCHEMA_PATH",
    "ExportError",
    "copy_media_out",
    "export_site",
    "import_site",
    "media_paths",
]
