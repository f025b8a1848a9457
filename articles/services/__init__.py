"""Every change of an article, section, tag or author goes through these services.

Views, admin actions and commands call them; they never set ``status``,
``publish_at`` or ``version`` themselves. Each service checks who may act,
runs in one transaction, records who and when, and sends mail or purges the
public cache only once the transaction has committed.

The code is split by concern; this package is the one place callers import from:

- :mod:`.autosave`: what the form's script keeps while someone types;
- :mod:`.drafts`: changes to a live story kept as a draft until "Update";
- :mod:`.content`: saving what is written (edit lock, hero image, revisions, restore);
- :mod:`.workflow`: draft → review → published/scheduled → unpublished;
- :mod:`.editorial`: featuring, corrections, preview links;
- :mod:`.taxonomy`: sections, tags and author profiles;
- :mod:`.presence`: who else has a story open (in the cache);
- :mod:`.media`: the media library (uploads, words, focal point, deleting);
- :mod:`.live`: live coverage (a live story's timestamped entries);
- :mod:`.errors`: what they raise.
"""

from articles.services.autosave import (
    AUTOSAVED_FIELDS,
    article_autosave,
    article_autosave_discard,
    article_autosave_to_offer,
)
from articles.services.content import (
    CONTENT_FIELDS,
    RESTORABLE_FIELDS,
    article_delete,
    article_restore_version,
    article_save,
    article_versions,
)
from articles.services.drafts import (
    DRAFT_FIELDS,
    article_draft_discard,
    article_draft_of,
    article_draft_save,
    takes_draft_of_changes,
)
from articles.services.editorial import (
    PREVIEW_LINK_MAX_AGE,
    article_add_correction,
    article_from_preview_token,
    article_preview_link_create,
    article_preview_link_revoke,
    article_preview_token,
    article_preview_url,
    article_set_featured,
    preview_link_url,
)
from articles.services.errors import (
    ActionNotAllowed,
    ArticleImageRefused,
    ArticleImageStorageError,
    ArticleServiceError,
    ArticleVersionConflict,
    InvalidRequest,
    WorkflowError,
)
from articles.services.live import (
    LiveImageUpload,
    live_end,
    live_entry_add,
    live_entry_delete,
    live_entry_edit,
    live_entry_set_key_event,
    live_start,
)
from articles.services.media import (
    HeroImageInput,
    media_image_delete,
    media_image_save,
    media_image_upload,
)
from articles.services.presence import (
    Present,
    article_presence_beat,
    article_presence_leave,
)
from articles.services.taxonomy import (
    AuthorPhotoUpload,
    author_delete,
    author_save,
    section_delete,
    section_save,
    tag_delete,
    tag_for_name,
    tag_save,
)
from articles.services.workflow import (
    TRANSITIONS,
    article_publish,
    article_save_and_transition,
    article_schedule,
    article_send_back,
    article_submit_for_review,
    article_transition,
    article_unpublish,
    article_withdraw,
    available_transitions,
    may_transition,
    transition_kind,
)

__all__ = [
    "AUTOSAVED_FIELDS",
    "CONTENT_FIELDS",
    "DRAFT_FIELDS",
    "PREVIEW_LINK_MAX_AGE",
    "RESTORABLE_FIELDS",
    "TRANSITIONS",
    "ActionNotAllowed",
    "ArticleImageRefused",
    "ArticleImageStorageError",
    "ArticleServiceError",
    "ArticleVersionConflict",
    "AuthorPhotoUpload",
    "HeroImageInput",
    "InvalidRequest",
    "LiveImageUpload",
    "Present",
    "WorkflowError",
    "article_add_correction",
    "article_autosave",
    "article_autosave_discard",
    "article_autosave_to_offer",
    "article_delete",
    "article_draft_discard",
    "article_draft_of",
    "article_draft_save",
    "article_from_preview_token",
    "article_presence_beat",
    "article_presence_leave",
    "article_preview_link_create",
    "article_preview_link_revoke",
    "article_preview_token",
    "article_preview_url",
    "article_publish",
    "article_restore_version",
    "article_save",
    "article_save_and_transition",
    "article_schedule",
    "article_send_back",
    "article_set_featured",
    "article_submit_for_review",
    "article_transition",
    "article_unpublish",
    "article_versions",
    "article_withdraw",
    "author_delete",
    "author_save",
    "available_transitions",
    "live_end",
    "live_entry_add",
    "live_entry_delete",
    "live_entry_edit",
    "live_entry_set_key_event",
    "live_start",
    "may_transition",
    "media_image_delete",
    "media_image_save",
    "media_image_upload",
    "preview_link_url",
    "section_delete",
    "section_save",
    "tag_delete",
    "tag_for_name",
    "tag_save",
    "takes_draft_of_changes",
    "transition_kind",
]
