"""Third-party embeds (videos, social posts) that load nothing until the reader asks.

``providers`` (which links are embeds, their ids and addresses), ``markup``
(the stored form, kept by the sanitiser, and the click-to-load placeholder
rendered on output), ``views`` (the same-origin embed page and its CSP).
"""
