"""Images editors upload, and the only versions of them the public sees.

One concern per module, in the order an image travels:

- ``checks``: is the upload an image we are willing to decode and keep?
  (allowed formats, pixel cap read from the header before decoding,
  truncated files, a name that lies about the format; the form field);
- ``storage``: writing uploads under a unique name so that a failed write
  leaves nothing behind, the ``ImageStorageError`` an editor is shown, and
  deleting files no longer used;
- ``renditions``: fresh JPEGs (320-1280 px, sRGB, no EXIF/GPS) drawn from the
  pixels, recorded on the article, deleted once no article uses them;
- ``hero``: ``HeroImage``, the value object every reader (pages, feeds,
  metadata, admin) uses instead of parsing the recorded renditions again.

Import from the submodule that does the job; this package exports nothing,
so that reading a hero image (``hero``) does not load Pillow.
"""
